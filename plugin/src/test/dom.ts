/**
 * Fast DOM lookups for tests. Testing Library's *ByRole queries compute accessibility for every
 * node, which Grafana UI's large DOM (the EmptyState illustration, Drawers) makes take seconds;
 * these find elements the way a user names them (a field's label, a button's text or aria-label)
 * with plain selectors, and fail with a clear message.
 */
import { fireEvent, waitFor } from '@testing-library/react';

/** For an attribute value in a selector (jsdom has no CSS.escape). */
const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** The input, textarea or select of the field labelled `label` (Grafana's Field: label text, then description). */
export function field(scope: ParentNode, label: string): HTMLInputElement {
  const labels = Array.from(scope.querySelectorAll('label')).filter(
    (element) => (element.firstElementChild?.textContent ?? element.textContent)?.trim() === label
  );
  if (labels.length !== 1) {
    throw new Error(`expected one field labelled "${label}", found ${labels.length}`);
  }
  const control = document.getElementById(labels[0].htmlFor);
  if (!control) {
    throw new Error(`the field labelled "${label}" points at #${labels[0].htmlFor}, which does not exist`);
  }
  return control as HTMLInputElement;
}

/** The button whose aria-label or text is `name`. */
export function button(scope: ParentNode, name: string): HTMLButtonElement {
  const found = Array.from(scope.querySelectorAll('button')).filter(
    (element) => element.getAttribute('aria-label') === name || element.textContent?.trim() === name
  );
  if (found.length === 0) {
    throw new Error(`no button named "${name}"`);
  }
  return found[0];
}

export const queryButton = (scope: ParentNode, name: string): HTMLButtonElement | undefined => {
  try {
    return button(scope, name);
  } catch {
    return undefined;
  }
};

/** Waits for a button to appear. */
export const findButton = (scope: ParentNode, name: string) => waitFor(() => button(scope, name));

/** The form whose aria-label is `name`. */
export function form(name: string): HTMLFormElement {
  const found = document.querySelector(`form[aria-label=${quote(name)}]`);
  if (!found) {
    throw new Error(`no form "${name}"`);
  }
  return found as HTMLFormElement;
}

export const findForm = (name: string) => waitFor(() => form(name));
export const queryForm = (name: string) => document.querySelector(`form[aria-label=${quote(name)}]`);

/** The radio button labelled `label` inside `scope` (Grafana's RadioButtonGroup: an input with a label). */
export function radio(scope: ParentNode, label: string): HTMLInputElement {
  const match = Array.from(scope.querySelectorAll('input[type="radio"]')).find((input) => {
    const id = input.getAttribute('id');
    const text = id ? scope.querySelector(`label[for=${quote(id)}]`)?.textContent?.trim() : undefined;
    return text === label;
  });
  if (!match) {
    throw new Error(`no radio button "${label}"`);
  }
  return match as HTMLInputElement;
}

/**
 * Gives elements a size (jsdom lays nothing out), so that virtualized lists such as Combobox's
 * menu render their options. Call in a describe block: it applies before and restores after.
 */
export function withLayout(size = 400) {
  const originals = {
    clientHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight'),
    clientWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth'),
  };
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => size });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => size });
  });
  afterAll(() => {
    for (const [name, descriptor] of Object.entries(originals)) {
      if (descriptor) {
        Object.defineProperty(HTMLElement.prototype, name, descriptor);
      }
    }
  });
}

/** Opens a Combobox, types `text`, and clicks the option labelled `label` (needs withLayout()). */
export async function chooseOption(input: HTMLInputElement, text: string, label = text) {
  fireEvent.focus(input);
  fireEvent.click(input);
  fireEvent.change(input, { target: { value: text } });
  const option = await waitFor(() => {
    const match = Array.from(document.querySelectorAll('[role="option"]')).find((element) =>
      element.textContent?.includes(label)
    );
    if (!match) {
      throw new Error(`no option "${label}" in the open Combobox`);
    }
    return match;
  });
  fireEvent.click(option);
}
