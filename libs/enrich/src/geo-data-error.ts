import { KeywatchError } from '@keywatch/errors';

/** An operator's geo data file (.mmdb, cloud ranges or ASN CSV) that cannot be read or is not what it claims. */
export class GeoDataError extends KeywatchError {
  constructor(message: string) {
    super(message, { expected: true, retriable: false });
  }
}
