import { OrgRole } from '@grafana/data';
import { config, hasPermission } from '@grafana/runtime';
import { RBAC_ACTIONS } from '../constants';

/** The user's RBAC permission, from Grafana's current user (or its boot data, if the user is not set up). */
function permitted(action: string): boolean {
  try {
    return hasPermission(action);
  } catch {
    // getCurrentUser() throws until Grafana has set the user up; the boot data has the same permissions
    return Boolean(config.bootData?.user?.permissions?.[action]);
  }
}

/**
 * Whether the user may change things (create, edit, delete, run): the `write` action of the app's
 * roles, or (should RBAC not list plugin actions) the Editor role the routes ask for. The proxy
 * enforces it anyway; this only hides buttons that would end in a 403.
 */
export function canWrite(): boolean {
  const role = config.bootData?.user?.orgRole;
  return permitted(RBAC_ACTIONS.write) || role === OrgRole.Editor || role === OrgRole.Admin;
}

/** Grafana's own alerting action for creating silences in an external Alertmanager. */
export const SILENCE_CREATE_ACTION = 'alert.silences:create';

/**
 * Whether the user may create a silence: Grafana's `alert.silences:create` (Editors have it), or
 * the Editor role where RBAC does not list it. Grafana's Alertmanager API enforces it anyway.
 */
export function canSilence(): boolean {
  const role = config.bootData?.user?.orgRole;
  return permitted(SILENCE_CREATE_ACTION) || role === OrgRole.Editor || role === OrgRole.Admin;
}
