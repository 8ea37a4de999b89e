// <izly-connect-button>: what it shares with every Izly button (button-base-tests.ts), then its return URL,
// the cancelable start, and real logins through the real adapter (`izlyPay({ connect })` at /izly) and the
// real Izly sandbox's login page, both mounted on the test server (izly-servers.ts). The student's part on
// Izly's page is played by filling the sandbox's form in the popup or the shop's window.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/connect-button/connect-button.js';
import type { IzlyConnectButton } from '../../widget/connect-button/connect-button.js';
import { describeButtonBase, inner, statusOf, text } from './button-base-tests.js';
import { STUDENT, loaded, windowsOpened } from './flow-helpers.js';

const LOGIN_PAGE = /\/oauth\/Home\/Authorize/i;

/** Fills the sandbox's login form in `win` and presses "Se connecter" or "Annuler". */
function answerLogin(win: Window, action: 'login' | 'cancel', account = STUDENT): void {
  const form = win.document.querySelector('form')!;
  (form.querySelector('[name="identifier"]') as HTMLInputElement).value = account.identifier;
  (form.querySelector('[name="password"]') as HTMLInputElement).value = account.password;
  (form.querySelector(`button[value="${action}"]`) as HTMLButtonElement).click();
}

/** The shop's session as the partner's `session` hook describes it (GET /izly/connect/session). */
async function shopSession(): Promise<{ name: string; clientCode: string } | null> {
  const response = await fetch('/izly/connect/session');
  return ((await response.json()) as { session: { name: string; clientCode: string } | null }).session;
}

/** Ends a login left in progress (its cookie would make the next cancel look like a login's). */
async function endLoginInProgress(): Promise<void> {
  await fetch('/izly/connect/cancel', { headers: { accept: 'application/json' } });
}

/** Logs out of the test shop (its session cookie is HttpOnly). */
async function logOut(): Promise<void> {
  await fetch('/test-shop/logout', { method: 'POST' });
}

describe('<izly-connect-button>', () => {
  describeButtonBase({
    tag: 'izly-connect-button',
    required: '',
    idle: { attributes: '', fr: 'Se connecter avec Izly', en: 'Log in with Izly' },
    label: 'Mon compte étudiant',
    startEvent: 'izly-connect-start',
    module: '/widget/connect-button/connect-button.ts',
  });

  describe('return-url', () => {
    it('is empty by default: the student comes back to this page', async () => {
      const el = await fixture<IzlyConnectButton>(html`<izly-connect-button></izly-connect-button>`);
      expect(el.returnUrl).to.equal('');
    });

    it('reads return-url', async () => {
      const el = await fixture<IzlyConnectButton>(html`<izly-connect-button return-url="/account"></izly-connect-button>`);
      expect(el.returnUrl).to.equal('/account');
    });
  });

  describe('with the real adapter and sandbox', () => {
    const windows = windowsOpened();
    const popups = windows.opened;
    beforeEach(() => windows.track());
    afterEach(async () => {
      windows.closeAll();
      await endLoginInProgress();
      await logOut();
    });

    describe('izly-connect-start', () => {
      it('bubbles out of the shadow root with the mode and the return URL, before anything happens', async () => {
        const el = await fixture<IzlyConnectButton>(html`<izly-connect-button mode="popup" return-url="/account?tab=1"></izly-connect-button>`);
        const started = oneEvent(document, 'izly-connect-start');
        let popupsAtStart = -1;
        document.addEventListener('izly-connect-start', () => (popupsAtStart = popups.length), { once: true });
        inner(el).click();
        const event = await started;
        expect(event.detail).to.deep.equal({ mode: 'popup', returnUrl: new URL('/account?tab=1', location.href).href });
        expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
        expect(popupsAtStart).to.equal(0);
      });

      it('stops the login when vetoed: no popup, no state change', async () => {
        const el = await fixture<IzlyConnectButton>(html`<izly-connect-button mode="popup"></izly-connect-button>`);
        el.addEventListener('izly-connect-start', (event) => event.preventDefault());
        inner(el).click();
        await el.updateComplete;
        expect(popups).to.deep.equal([]);
        expect(el.state).to.equal('idle');
      });
    });

    describe('popup mode', () => {
      it('opens the login in the click; logged in: izly-connect-success, the shop has its session', async () => {
        const el = await fixture<IzlyConnectButton>(html`<izly-connect-button mode="popup"></izly-connect-button>`);
        inner(el).click();
        // Synchronously, inside the click: no popup blocker fires.
        expect(popups).to.have.length(1);
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('awaiting');
        expect(inner(el).getAttribute('aria-busy')).to.equal('true');
        expect(text(statusOf(el))).to.equal('Connectez-vous dans la fenêtre Izly.');
        await expect(el).to.be.accessible();

        const popup = await loaded(() => popups[0], LOGIN_PAGE, 'the Izly login page in the popup');
        expect(popup.document.querySelector('#site-name')!.textContent).to.equal('Boutique démo');
        const succeeded = oneEvent(el, 'izly-connect-success');
        answerLogin(popup, 'login');
        const { detail } = await succeeded;
        expect(detail).to.deep.equal({ mode: 'popup' });
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('success');
        expect(text(inner(el))).to.equal('Connecté');
        expect(inner(el).getAttribute('aria-disabled')).to.equal('true');
        expect(text(statusOf(el))).to.equal('Vous êtes connecté avec Izly.');
        await expect(el).to.be.accessible();
        await waitUntil(() => popup.closed, 'the popup closed itself');
        expect(await shopSession()).to.deep.equal({ name: 'Camille Martin', clientCode: 'cmartin01' });

        let startedAgain = false;
        el.addEventListener('izly-connect-start', () => (startedAgain = true));
        inner(el).click();
        expect(startedAgain).to.equal(false);
      });

      it('speaks English through the login', async () => {
        const el = await fixture<IzlyConnectButton>(html`<izly-connect-button mode="popup" lang="en"></izly-connect-button>`);
        inner(el).click();
        await el.updateComplete;
        expect(text(statusOf(el))).to.equal('Log in to Izly in the new window.');
        const popup = await loaded(() => popups[0], LOGIN_PAGE, 'the Izly login page in the popup');
        const succeeded = oneEvent(el, 'izly-connect-success');
        answerLogin(popup, 'login');
        await succeeded;
        await el.updateComplete;
        expect(text(inner(el))).to.equal('Logged in');
        expect(text(statusOf(el))).to.equal('You are logged in with Izly.');
      });

      it('cancelled on Izly (Annuler): izly-connect-cancel, back to idle with a polite "Connexion annulée.", no session', async () => {
        const el = await fixture<IzlyConnectButton>(html`<izly-connect-button mode="popup"></izly-connect-button>`);
        let errors = 0;
        el.addEventListener('izly-connect-error', () => errors++);
        inner(el).click();
        const popup = await loaded(() => popups[0], LOGIN_PAGE, 'the Izly login page in the popup');
        const cancelled = oneEvent(el, 'izly-connect-cancel');
        answerLogin(popup, 'cancel');
        const { detail } = await cancelled;
        expect(detail).to.deep.equal({ mode: 'popup' });
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('idle');
        expect(text(inner(el))).to.equal('Se connecter avec Izly');
        expect(inner(el).getAttribute('aria-busy')).to.not.equal('true');
        expect(text(statusOf(el))).to.equal('Connexion annulée.');
        expect(errors).to.equal(0);
        await expect(el).to.be.accessible();
        await waitUntil(() => popup.closed, 'the popup closed itself');
        expect(await shopSession()).to.equal(null);

        const again = oneEvent(el, 'izly-connect-start');
        inner(el).click();
        await again;
        expect(popups).to.have.length(2);
        await el.updateComplete;
        expect(text(statusOf(el))).to.equal('Connectez-vous dans la fenêtre Izly.');
      });

      it('cancelled in English: "Login cancelled."', async () => {
        const el = await fixture<IzlyConnectButton>(html`<izly-connect-button mode="popup" lang="en"></izly-connect-button>`);
        inner(el).click();
        const popup = await loaded(() => popups[0], LOGIN_PAGE, 'the Izly login page in the popup');
        const cancelled = oneEvent(el, 'izly-connect-cancel');
        answerLogin(popup, 'cancel');
        await cancelled;
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('idle');
        expect(text(inner(el))).to.equal('Log in with Izly');
        expect(text(statusOf(el))).to.equal('Login cancelled.');
      });

      it("a wrong password keeps the student on Izly's page: still awaiting", async () => {
        const el = await fixture<IzlyConnectButton>(html`<izly-connect-button mode="popup"></izly-connect-button>`);
        inner(el).click();
        const popup = await loaded(() => popups[0], LOGIN_PAGE, 'the Izly login page in the popup');
        answerLogin(popup, 'login', { identifier: STUDENT.identifier, password: 'not-the-password' });
        await waitUntil(() => popup.document?.querySelector('#form-error'), 'the login page says the password is wrong');
        expect(el.state).to.equal('awaiting');
        const succeeded = oneEvent(el, 'izly-connect-success');
        answerLogin(popup, 'login');
        await succeeded;
      });

      it('closed by the student before logging in: izly-connect-error popup_closed, "not completed"', async () => {
        const el = await fixture<IzlyConnectButton>(html`<izly-connect-button mode="popup"></izly-connect-button>`);
        inner(el).click();
        const popup = await loaded(() => popups[0], LOGIN_PAGE, 'the Izly login page in the popup');
        const failed = oneEvent(el, 'izly-connect-error');
        popup.close();
        const { detail } = await failed;
        expect(detail.code).to.equal('popup_closed');
        await el.updateComplete;
        expect(el.getAttribute('state')).to.equal('error');
        expect(text(statusOf(el))).to.equal('Connexion non finalisée.');
        await expect(el).to.be.accessible();
      });

      it('ignores a look-alike message from a window that is not its popup', async () => {
        const el = await fixture<IzlyConnectButton>(html`<izly-connect-button mode="popup"></izly-connect-button>`);
        inner(el).click();
        await loaded(() => popups[0], LOGIN_PAGE, 'the Izly login page in the popup');
        window.postMessage({ type: 'izly-connect:done', ok: true }, location.origin);
        await new Promise((resolve) => window.addEventListener('message', resolve, { once: true }));
        await el.updateComplete;
        expect(el.state).to.equal('awaiting');
      });
    });

    describe('on a partner page (its own window, since a redirect leaves the page)', () => {
      let tab: Window | null = null;
      afterEach(() => tab?.close());
      const current = () => tab;

      async function openShop(query: Record<string, string>): Promise<Window> {
        tab = open(`/test/browser/fixtures/shop.html?${new URLSearchParams({ element: 'connect', ...query })}`, '_blank');
        tab!.opener = null;
        const win = await loaded(current, /shop\.html/, 'the shop page');
        await waitUntil(() => win.shopConnectButton?.hasUpdated, 'the button is up');
        return win;
      }

      it('redirect: logs in on Izly and comes back logged in, with the URL cleaned', async () => {
        const shop = await openShop({});
        inner(shop.shopConnectButton).click();
        const izly = await loaded(current, LOGIN_PAGE, 'the Izly login page, in the shop window');
        answerLogin(izly, 'login');
        const back = await loaded(current, /shop\.html/, 'back on the shop');
        await waitUntil(() => back.shopConnectButton?.state === 'success', 'logged in', { timeout: 10000 });
        expect(back.shopEvents).to.deep.equal([{ type: 'izly-connect-success', detail: { mode: 'redirect' } }]);
        expect(back.location.search).to.not.contain('izly_connect');
        expect(back.location.search).to.contain('element=connect');
        expect(await shopSession()).to.deep.equal({ name: 'Camille Martin', clientCode: 'cmartin01' });
      });

      it('redirect: cancelled on Izly, straight back to the page it left, idle with "Connexion annulée."', async () => {
        const shop = await openShop({});
        inner(shop.shopConnectButton).click();
        const izly = await loaded(current, LOGIN_PAGE, 'the Izly login page, in the shop window');
        answerLogin(izly, 'cancel');
        const back = await loaded(current, /shop\.html/, 'back on the shop, with no page in between');
        await waitUntil(() => back.shopConnectButton?.hasUpdated && text(statusOf(back.shopConnectButton)) === 'Connexion annulée.', 'the polite word', {
          timeout: 10000,
        });
        // Not an error: the fixture records izly-connect-error (and start, success), none of which fired here.
        expect(back.shopEvents).to.deep.equal([]);
        const button = back.shopConnectButton;
        expect(button.state).to.equal('idle');
        expect(text(inner(button))).to.equal('Se connecter avec Izly');
        expect(text(statusOf(button))).to.equal('Connexion annulée.');
        expect(back.location.search).to.not.contain('izly_connect');
        expect(back.location.search).to.contain('element=connect');
        expect(await shopSession()).to.equal(null);
      });

      it('popup blocked: falls back to a redirect', async () => {
        const shop = await openShop({ mode: 'popup' });
        // What a popup blocker does: window.open answers null.
        shop.open = () => null;
        inner(shop.shopConnectButton).click();
        await loaded(current, LOGIN_PAGE, 'the Izly login page, in the shop window itself');
      });

      it('a link that merely carries izly_connect=success proves nothing: idle, and the parameter is removed', async () => {
        tab = open('/test/browser/fixtures/shop.html?element=connect&izly_connect=success', '_blank');
        tab!.opener = null;
        const win = await loaded(current, /shop\.html/, 'the shop page');
        await waitUntil(() => win.shopConnectButton?.hasUpdated, 'the button is up');
        await waitUntil(() => !win.location.search.includes('izly_connect'), 'the parameter is removed');
        expect(win.shopConnectButton.state).to.equal('idle');
        expect(win.shopEvents).to.deep.equal([]);
      });
    });
  });
});
