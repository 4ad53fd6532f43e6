/** The key scanner in a dialog: it reads tags until one passes `check`, then hands it to `onAccept`. */
import { Alert, Modal, Spin } from 'antd';
import { Suspense, useState } from 'react';
import { useI18n } from '../../i18n';
import { lazyPart } from '../../lazy';

// The scanner (and its QR decoder) load only when a guard first scans a key.
const KeyScanner = lazyPart(() => import('../../components/KeyScanner'));

export function ScanKeyModal(props: {
  open: boolean;
  title: string;
  /** Null accepts the scanned tag; a text refuses it and is shown. */
  check: (tag: string) => string | null;
  onAccept: (tag: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [refusal, setRefusal] = useState<string | null>(null);
  const close = () => {
    setRefusal(null);
    props.onClose();
  };
  return (
    <Modal open={props.open} title={props.title} footer={null} onCancel={close} destroyOnHidden>
      <Suspense
        fallback={
          <div role="status" aria-label={t('加载中')}>
            <Spin />
          </div>
        }
      >
        <KeyScanner
          onTag={(tag) => {
            const why = props.check(tag);
            setRefusal(why);
            if (why === null) {
              close();
              props.onAccept(tag);
            }
          }}
          message={
            refusal === null ? null : (
              <Alert type="error" showIcon role="alert" className="pb-scan-refused" title={refusal} />
            )
          }
        />
      </Suspense>
    </Modal>
  );
}
