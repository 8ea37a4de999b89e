/**
 * `izly-pay`: registers every element of the widget and exports their classes, events and types.
 * For one element only, import its folder's entry (`izly-pay/pay-button`, `izly-pay/connect-button`).
 */
export * from './pay-button/pay-button.js';
export * from './connect-button/connect-button.js';
export * from './events.js';
export { AdapterClient, AdapterError, isTransient, isFinal, type CreatedPayment, type PaymentStatus, type PublicPayment } from './adapter-client.js';
export type { ButtonMode, ButtonSize } from './izly-button-base.js';
export type { WidgetLang } from './strings.js';
