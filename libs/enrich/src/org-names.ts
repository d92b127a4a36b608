/** Interns AS organisation names: ~500k ranges share ~80k names, so rows store an index instead. */
export class OrgNames {
  readonly names: string[] = [];
  readonly #indexOf = new Map<string, number>();

  intern(name: string): number {
    let index = this.#indexOf.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.#indexOf.set(name, index);
    }
    return index;
  }
}
