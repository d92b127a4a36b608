/** What one input may cost in memory; everything past a limit is a dead letter, never a crash. */
export interface ReadLimits {
  /**
   * The longest single JSON value held whole, in characters: an NDJSON line, one element of a JSON array
   * or of a `{"Records":[…]}` document, or a document that is neither. A longer one is a dead letter.
   */
  maxRecordChars: number;
  /** Lines longer than this are not held whole: they are scanned in pieces (a one-line 2 GB document works). */
  pieceChars: number;
  /** gzip output may not exceed this many bytes plus `gzipMaxRatio` times the compressed bytes read. */
  gzipSlackBytes: number;
  gzipMaxRatio: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxRecordChars: 16 * 1024 * 1024,
  pieceChars: 1024 * 1024,
  gzipSlackBytes: 64 * 1024 * 1024,
  gzipMaxRatio: 100,
};
