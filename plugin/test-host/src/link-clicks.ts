/**
 * TEST DOUBLE of Grafana's `interceptLinkClicks` (public/app/core/navigation/patch/
 * interceptLinkClicks.ts, installed by public/app/app.ts on `document`): a click on a plain
 * `<a href>` without `target` (LinkButton, TextLink, a Markdown link…) is a client-side navigation
 * through `locationService.push`, not a page load. react-router's `<Link>` prevents the default
 * itself first and is left alone, as are modified clicks (new tab) and external URLs.
 */
import { locationUtil } from '@grafana/data';
import { locationService } from '@grafana/runtime';

function parentAnchor(element: HTMLElement | null): HTMLAnchorElement | null {
  while (element !== null && element.tagName.toUpperCase() !== 'A') {
    element = element.parentElement;
  }
  return element as HTMLAnchorElement | null;
}

export function interceptLinkClicks(event: MouseEvent): void {
  const anchor = event.target instanceof HTMLElement ? parentAnchor(event.target) : null;
  // a new tab, or already handled (react-router's Link)
  if (event.ctrlKey || event.metaKey || event.defaultPrevented || !anchor) {
    return;
  }
  let href = anchor.getAttribute('href');
  if (!href || anchor.getAttribute('target')) {
    return;
  }
  event.preventDefault();
  href = locationUtil.stripBaseFromUrl(href);
  if (href[0] !== '/') {
    // an absolute link to another site or a mailto: leaves the app; a hash only changes the hash
    if (href.indexOf('://') > 0 || href.indexOf('mailto:') === 0) {
      window.location.href = href;
      return;
    }
    if (href.indexOf('#') === 0) {
      window.location.hash = href;
      return;
    }
    href = `/${href}`;
  }
  locationService.push(href);
}
