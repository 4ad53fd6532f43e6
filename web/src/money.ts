/** Sums in fen (the API's unit) as people read them: ¥12.50. */
export const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;
