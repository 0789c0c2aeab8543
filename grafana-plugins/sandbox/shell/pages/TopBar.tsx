import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { config, getBackendSrv } from '@grafana/runtime';
import { Button, Input, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';
import { FormEvent, useState } from 'react';

const roles = ['Viewer', 'Editor', 'Admin'].map((role) => ({ label: role, value: role }));

/** Who the sandbox pretends is signed in to Grafana; switching reloads like a new login. */
export function TopBar() {
  const styles = useStyles2(getStyles);
  const user = config.bootData.user;
  const [login, setLogin] = useState(user.login);
  const [role, setRole] = useState<string>(user.orgRole);

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    await getBackendSrv().post('sandbox/api/login', { login, role });
    window.location.reload();
  };

  return (
    <header className={styles.bar} data-testid="sandbox-topbar">
      <a className={styles.brand} href="/">
        Nester plugin sandbox
      </a>
      <span className={styles.note}>a development stand-in for Grafana {config.buildInfo.version}, not Grafana</span>
      <form onSubmit={(event) => void signIn(event)} className={styles.user} aria-label="Sign in as">
        <Stack direction="row" gap={1} alignItems="center">
          <Input width={16} aria-label="Login" value={login} onChange={(e) => setLogin(e.currentTarget.value)} />
          <RadioButtonGroup size="sm" options={roles} value={role} onChange={setRole} />
          <Button size="sm" type="submit" variant="secondary">
            Sign in
          </Button>
        </Stack>
      </form>
      <span data-testid="signed-in-as" className={styles.note}>
        {user.login} ({user.orgRole})
      </span>
    </header>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(1, 2),
    background: theme.colors.background.secondary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  brand: css({ fontWeight: theme.typography.fontWeightBold, color: theme.colors.text.primary }),
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  user: css({ marginLeft: 'auto' }),
});
