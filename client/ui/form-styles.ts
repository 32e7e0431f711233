import { css } from 'lit';

/** Forms for everyone: labels above fields, large inputs, errors in words next to the field and at the top. */
export const formStyles = css`
  form {
    max-width: 32rem;
  }
  .field {
    margin: 0 0 1.1rem;
  }
  label,
  legend {
    display: block;
    font-weight: 600;
    margin-bottom: 0.3rem;
  }
  .hint {
    display: block;
    font-size: 0.95rem;
    color: #4a5560;
    margin-bottom: 0.3rem;
  }
  input[type='text'],
  input[type='email'],
  input[type='password'],
  input[type='tel'],
  input[type='date'],
  select {
    font: inherit;
    width: 100%;
    box-sizing: border-box;
    min-height: 44px;
    padding: 0.5rem 0.6rem;
    border: 2px solid #5c6b73;
    border-radius: 6px;
  }
  input:focus-visible {
    outline: 3px solid var(--mcl-focus, #b3540b);
    outline-offset: 1px;
  }
  input[aria-invalid='true'] {
    border-color: var(--mcl-danger, #a4161a);
  }
  .error {
    color: var(--mcl-danger, #a4161a);
    font-weight: 600;
    margin: 0.3rem 0 0;
  }
  .alert {
    border: 2px solid var(--mcl-danger, #a4161a);
    background: #fdecec;
    border-radius: 6px;
    padding: 0.75rem 1rem;
    margin: 0 0 1rem;
  }
  .success {
    border: 2px solid #1e6b3a;
    background: #e9f6ee;
    border-radius: 6px;
    padding: 0.75rem 1rem;
    margin: 0 0 1rem;
  }
  fieldset {
    border: 1px solid var(--mcl-border, #c9d2d6);
    border-radius: 8px;
    margin: 0 0 1.1rem;
    padding: 0.75rem 1rem;
  }
  .choice {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    min-height: 44px;
    font-weight: normal;
  }
  .choice input {
    width: 1.4rem;
    height: 1.4rem;
  }
`;
