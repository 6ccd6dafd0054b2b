import type { PluginPageProps } from '@grafana/runtime';
import { useTheme2 } from '@grafana/ui';

/**
 * Grafana's PluginPage (what scenes' SceneAppPage renders a page in) draws the page's title as the page heading,
 * its subtitle and its tabs; the @grafana/runtime default renders the children only. The host draws the heading
 * and subtitle as Grafana does, so a page's title can be read and checked.
 */
export function HarnessPluginPage({ pageNav, children }: PluginPageProps) {
  const theme = useTheme2();
  return (
    <div style={{ padding: theme.spacing(2, 2, 0) }}>
      {pageNav?.text && <h1 style={{ margin: 0, fontSize: theme.typography.h2.fontSize }}>{pageNav.text}</h1>}
      {pageNav?.subTitle && <div style={{ color: theme.colors.text.secondary }}>{pageNav.subTitle}</div>}
      {children}
    </div>
  );
}
