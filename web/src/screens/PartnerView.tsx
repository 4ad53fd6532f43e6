/** The partner's view waits for the partner-lot API; until then it says so rather than show nothing. */
import { Result } from 'antd';
import { useI18n } from '../i18n';

export default function PartnerView() {
  const { t } = useI18n();
  return <Result status="info" title={t('合作单位')} subTitle={t('合作停车场接口尚未提供，此页暂不可用。')} />;
}
