/** CSV import of households and cars: a dry run first, its report row by row, then apply. */
import { Alert, Button, Card, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { perform } from '../actions';
import { describeCode, describeError } from '../errors';
import { fieldWord } from '../field-rules';
import { useI18n } from '../i18n';
import type { Reply } from '../types';

type ImportReport = Reply<'/api/imports/households', 'post'>;

export function ImportPanel({ onApplied }: { onApplied: () => void }) {
  const { t } = useI18n();
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (dryRun: boolean) => {
    setError(null);
    try {
      const r = await perform<ImportReport>(
        'POST',
        `/api/imports/households?dryRun=${dryRun}`,
        { csv },
        dryRun ? t('试运行') : t('正式导入'),
      );
      setReport(r);
      if (r.applied) onApplied();
    } catch (e) {
      setError(describeError(e, t));
    }
  };
  return (
    <Card title={t('导入CSV')} size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <label className="pb-field">
          <span>{t('选择文件')}</span>
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f !== undefined) void f.text().then(setCsv);
            }}
          />
        </label>
        <Input.TextArea
          aria-label="CSV"
          rows={6}
          value={csv}
          onChange={(e) => setCsv(e.target.value)}
          placeholder="building,unit,room,plate,size,ev,keyConsent"
        />
        <Space>
          <Button onClick={() => void run(true)} disabled={csv.trim() === ''}>
            {t('试运行')}
          </Button>
          <Button
            type="primary"
            onClick={() => void run(false)}
            disabled={report === null || !report.valid || report.applied}
          >
            {t('正式导入')}
          </Button>
        </Space>
        {error !== null && <Alert type="error" title={error} />}
        {report !== null && (
          <>
            <Alert
              type={report.valid ? 'success' : 'warning'}
              title={`${report.applied ? t('已导入') + ' · ' : ''}${t('共 {rows} 行，{ok} 行无误，{bad} 行有误', report.counts)}`}
            />
            <Table
              size="small"
              rowKey="row"
              dataSource={report.rows
                .filter((r) => r.status === 'error')
                .concat(report.rows.filter((r) => r.status === 'ok').slice(0, 20))}
              columns={[
                { title: t('行'), dataIndex: 'row' },
                {
                  title: t('状态'),
                  dataIndex: 'status',
                  render: (s: ImportReport['rows'][number]['status']) => (
                    <Tag color={s === 'ok' ? 'green' : 'red'}>{s === 'ok' ? t('无误') : t('有误')}</Tag>
                  ),
                },
                { title: t('车牌号'), dataIndex: 'plate' },
                {
                  title: t('问题'),
                  dataIndex: 'issues',
                  render: (i: ImportReport['rows'][number]['issues']) =>
                    i.map((x) => `${fieldWord(x.column, t)}：${describeCode(x.code, x.message, t)}`).join('；'),
                },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
