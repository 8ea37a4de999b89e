// The identifier and password fields that Izly's payment and login pages both ask for, and what they say
// when the credentials are wrong.

/** The message above the form after a refused attempt. */
export function credentialsError(identifier: string, password: string): string {
  return identifier && password ? 'Identifiant ou mot de passe incorrect. Vérifiez-les et réessayez.' : 'Saisissez votre identifiant et votre mot de passe.';
}

/**
 * The two labelled fields. After a refused attempt (`error`, shown by the page as `#form-error`) the
 * identifier is kept, the focus goes to the password, and both fields are marked invalid and described by
 * the message, so that a screen reader reads it with the field.
 */
export function CredentialFields({ error, identifier }: { error?: string; identifier?: string }) {
  return (
    <>
      <div class="field">
        <label for="identifier">Identifiant</label>
        <span class="hint" id="identifier-hint">
          Adresse e-mail ou numéro de téléphone
        </span>
        <input
          id="identifier"
          name="identifier"
          type="text"
          autocomplete="username"
          spellcheck={false}
          required
          aria-describedby={error ? 'identifier-hint form-error' : 'identifier-hint'}
          aria-invalid={error ? 'true' : undefined}
          value={identifier ?? ''}
          autofocus={!identifier}
        />
      </div>
      <div class="field">
        <label for="password">Mot de passe</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          aria-describedby={error ? 'form-error' : undefined}
          aria-invalid={error ? 'true' : undefined}
          autofocus={Boolean(identifier)}
        />
      </div>
    </>
  );
}
