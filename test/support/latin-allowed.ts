/**
 * Latin-script words a person may meet in the UI: brand names (V聚场), units and file formats, and
 * abbreviations that are read as they are written in Chinese (AI, LPR, MCN). Anything else in Latin
 * letters is English or a system's raw text reaching people (issue 15). Words with a digit in them
 * are identifiers (申请编号 CY-2026-000001, a bank reference, a hash), a word with a file's extension
 * is a file's name, and text inside code, kbd, samp or translate="no" is what people type verbatim
 * (usernames, codes): none of these is checked.
 */
export const LATIN_ALLOWED: readonly string[] = [
  // Names: V聚场, YOUNG立方 and 杨浦“服”YOUNG V 实习 (杨浦's programmes), UP主, and the products a file comes from.
  'V', 'YOUNG', 'UP', 'Windows', 'Office', 'Word', 'Excel', 'PowerPoint',
  // Read as written in Chinese text: 人工智能, 贷款市场报价利率, 多频道网络机构, 知识产权.
  'AI', 'LPR', 'MCN', 'IP',
  // The check character of a 居民身份证号码, written X in the standard (GB 11643) and on the card itself.
  'X',
  // Units and file formats.
  'KB', 'MB', 'GB', 'PDF', 'PNG', 'JPEG', 'JPG', 'GIF', 'WebP', 'pdf', 'png', 'jpg', 'jpeg', 'gif', 'webp', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx',
];
