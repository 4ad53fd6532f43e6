/**
 * @module The key-custody consent texts a resident agrees to (钥匙托管同意书). Each published text has a
 * version; the ledger records which version was agreed to and when. A published text is never
 * edited: a change is a new version, and residents are asked again.
 */
import { DomainError } from '../core/errors.js';

export interface ConsentText {
  version: string;
  /** The day the text was published, Asia/Shanghai. */
  published: string;
  title: string;
  /** The text in zh-CN, one paragraph per entry. */
  paragraphs: readonly string[];
}

export const CONSENT_TEXTS: readonly ConsentText[] = [
  {
    version: '1',
    published: '2026-11-27',
    title: '备用车钥匙托管同意书',
    paragraphs: [
      '我同意把本车的一把备用钥匙交给小区泊车管家（物业保安）保管，由他们代我停车、挪车。',
      '钥匙放在上锁的钥匙柜里，只交给当班保安，只用于停车、挪车、把车送到门口等泊车任务，不作他用。',
      '每一次取用、归还和交接都记录在案（谁、何时、为什么），我可以随时查看本车和钥匙的全部记录。',
      '我可以随时撤回同意。撤回后，保安把钥匙还给我；在此之前，他们会先把挡住别人的车挪开。',
      '钥匙如有遗失或车辆有损伤，物业按事故流程处理并告知我结果。',
    ],
  },
];

/** The version new consents are asked for. */
export const CURRENT_CONSENT_VERSION = '1';

export function consentText(version: string): ConsentText | undefined {
  return CONSENT_TEXTS.find((t) => t.version === version);
}

/** Refuses a version that was never published, naming the field. */
export function requireConsentVersion(version: string, field = 'textVersion'): ConsentText {
  const text = consentText(version);
  if (text === undefined) {
    throw new DomainError(
      'UNKNOWN_CONSENT_VERSION',
      `${field}: "${version}" is not a published consent text (published: ${CONSENT_TEXTS.map((t) => t.version).join(', ')})`,
      { field },
    );
  }
  return text;
}
