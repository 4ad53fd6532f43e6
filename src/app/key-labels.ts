/**
 * @module Printable labels for spare-key tags: the tag id in large type and a QR code of the tag id,
 * for the guard's phone to scan at the cabinet. A label names no plate, no address and no person,
 * so a lost key tells a finder nothing; labels can be printed before tags are assigned.
 */
import QRCode from 'qrcode';

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One label, 60 × 30 mm: the QR code on the left, the tag id and the compound's name on the right. */
export async function keyLabelSvg(tag: string, compoundName: string): Promise<string> {
  const qr = await QRCode.toString(tag, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  const nested = qr.trim().replace(/^<svg /, '<svg x="2" y="2" width="26" height="26" ');
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="60mm" height="30mm" viewBox="0 0 60 30" role="img"',
    ` aria-label="${escapeXml(`备用钥匙 ${tag}`)}">`,
    '<rect x="0.25" y="0.25" width="59.5" height="29.5" rx="2" fill="#fff" stroke="#000" stroke-width="0.5"/>',
    nested,
    `<text x="31" y="9" font-family="sans-serif" font-size="3.5">${escapeXml(compoundName)} 备用钥匙</text>`,
    `<text x="31" y="19" font-family="monospace" font-size="${tag.length > 6 ? 5 : 7}" font-weight="bold">${escapeXml(tag)}</text>`,
    '<text x="31" y="26" font-family="sans-serif" font-size="2.8">拾到请交物业 · 请勿外借</text>',
    '</svg>',
  ].join('');
}

/** A page of labels for printing (A4, as many as fit), one per tag in the order given. */
export async function keyLabelsHtml(tags: readonly string[], compoundName: string): Promise<string> {
  const labels = await Promise.all(tags.map((tag) => keyLabelSvg(tag, compoundName)));
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeXml(compoundName)} 钥匙标签</title>
<style>
  @page { size: A4; margin: 10mm; }
  body { margin: 0; font-family: sans-serif; }
  .sheet { display: flex; flex-wrap: wrap; gap: 4mm; }
  .label { width: 60mm; height: 30mm; break-inside: avoid; }
  @media screen { body { padding: 10mm; } }
</style>
</head>
<body>
<div class="sheet">
${labels.map((svg) => `<div class="label">${svg}</div>`).join('\n')}
</div>
</body>
</html>
`;
}
