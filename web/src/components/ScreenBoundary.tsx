/**
 * @module What a user sees when a screen cannot be drawn (its code would not download even after the
 * network came back, or it threw): a plain message and a reload, inside the shell, never a blank page.
 */
import { Alert, Button } from 'antd';
import { Component, type ReactNode } from 'react';

interface Props {
  t: (s: string) => string;
  children: ReactNode;
}

export class ScreenBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    const { t, children } = this.props;
    if (!this.state.failed) return children;
    return (
      <Alert
        type="warning"
        showIcon
        style={{ margin: 16 }}
        title={t('页面没能打开')}
        description={t('请检查网络，然后重新加载')}
        action={
          <Button type="primary" onClick={() => location.reload()}>
            {t('重新加载')}
          </Button>
        }
      />
    );
  }
}
