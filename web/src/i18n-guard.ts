/** @module English for the guard phone's sync state and key scanner (merged into the main dictionary). */
export const GUARD_EN: Record<string, string> = {
  同步状态: 'Sync state',
  在线: 'Online',
  离线: 'Offline',
  '数据截至 {time}': 'data as of {time}',
  '{n} 条待同步': '{n} waiting to sync',
  同步失败: 'Sync failed',
  '冲突：“{label}”没有执行': 'Conflict: “{label}” was not done',
  待同步: 'waiting to sync',
  扫码取钥匙: 'Scan the key',
  扫码归还: 'Scan a key to return',
  打开相机扫码: 'Scan with the camera',
  相机画面: 'Camera view',
  拍照或选择图片识别: 'Take or choose a photo of the tag',
  '识别中…': 'Reading…',
  '图片中没有找到二维码，请对准钥匙标签重拍': 'No QR code in the picture: photograph the key tag again',
  无法读取这张图片: 'This picture cannot be read',
  '无法打开相机，请拍照或选择图片识别': 'The camera cannot be opened: take or choose a photo instead',
  '扫到的是钥匙 {scanned}，不是 {plate} 的钥匙（应为 {tag}）。请放回柜中，取正确的钥匙。':
    'This is key {scanned}, not the key of {plate} (that is {tag}). Put it back and take the right one.',
  '钥匙 {scanned} 不在你手中，不能由你归还。': 'Key {scanned} is not with you, so you cannot return it.',
};
