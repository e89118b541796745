import { config, hasPermission } from '@grafana/runtime';
import { RBAC_ACTIONS } from '../constants';
import { canWrite } from './permissions';

describe('canWrite', () => {
  const user = config.bootData.user;
  afterEach(() => {
    config.bootData.user = user;
    jest.mocked(hasPermission).mockReset().mockReturnValue(true);
  });
  const as = (orgRole: string, permissions: Record<string, boolean>) => {
    config.bootData.user = { ...user, orgRole, permissions } as typeof user;
  };

  it("follows the app's write action", () => {
    as('Viewer', {});
    jest.mocked(hasPermission).mockImplementation((action) => action === RBAC_ACTIONS.write);
    expect(canWrite()).toBe(true);
    jest.mocked(hasPermission).mockReturnValue(false);
    expect(canWrite()).toBe(false);
  });

  it('falls back to the boot data where Grafana has not set the current user up', () => {
    jest.mocked(hasPermission).mockImplementation(() => {
      throw new Error('User can only be used after Grafana instance has started.');
    });
    as('Viewer', { [RBAC_ACTIONS.write]: true });
    expect(canWrite()).toBe(true);
    as('Viewer', { [RBAC_ACTIONS.read]: true });
    expect(canWrite()).toBe(false);
    as('Editor', {});
    expect(canWrite()).toBe(true);
  });
});
