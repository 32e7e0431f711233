import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DEFAULT_NOTIFY, NOTIFY_TOPICS, type NotifyPrefs, type NotifyTopic } from '../../../common/notify-topics.js';
import { formStyles } from '../form-styles.js';

/**
 * "Tell me when there is…": one group per topic, by email and by text message (sign-up and Account →
 * Notifications). `value` is what is ticked now; a `change` event bubbles out of the element when a box changes.
 * Texts need a mobile number: without one (`hasPhone` false) the element says so beside the choice.
 */
@customElement('mcl-notify-choices')
export class NotifyChoices extends LitElement {
  static override styles = [
    formStyles,
    css`
      fieldset.topic {
        border: 1px solid #c5ccd2;
        border-radius: 6px;
        margin: 0 0 0.8rem;
        padding: 0.5rem 0.8rem;
      }
      legend {
        font-weight: 600;
      }
      label.choice {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        min-height: 44px;
        font-weight: normal;
      }
      input[type='checkbox'] {
        width: 1.4rem;
        height: 1.4rem;
      }
    `,
  ];

  @property({ attribute: false }) value: NotifyPrefs = structuredClone(DEFAULT_NOTIFY);
  @property({ type: Boolean, attribute: 'has-phone' }) hasPhone = true;

  private toggle(key: NotifyTopic, channel: 'email' | 'text', checked: boolean) {
    this.value = { ...this.value, [key]: { ...this.value[key], [channel]: checked } };
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  override render() {
    const wantsText = NOTIFY_TOPICS.some(({ key }) => this.value[key].text);
    return html`${NOTIFY_TOPICS.map(
      ({ key, label }) => html`<fieldset class="topic">
          <legend>${label}</legend>
          <label class="choice"
            ><input
              type="checkbox"
              id="${key}-email"
              .checked=${this.value[key].email}
              @change=${(e: Event) => this.toggle(key, 'email', (e.target as HTMLInputElement).checked)}
            />by email</label
          >
          <label class="choice"
            ><input
              type="checkbox"
              id="${key}-text"
              .checked=${this.value[key].text}
              @change=${(e: Event) => this.toggle(key, 'text', (e.target as HTMLInputElement).checked)}
            />by text message</label
          >
        </fieldset>`,
    )}
      ${
        wantsText && !this.hasPhone
          ? html`<p class="hint" id="needs-phone">Texts need a mobile number: add one, or we can only email you.</p>`
          : ''
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mcl-notify-choices': NotifyChoices;
  }
}
