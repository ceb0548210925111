// The labels a protocol can be checked against, looked up by name or alias.
// Labels are resolved once and shared by every protocol that uses them.
import type { ResolvedLabel } from './model.js';

export class LabelIndex {
  private readonly byName = new Map<string, ResolvedLabel[]>();

  constructor(labels: Iterable<ResolvedLabel>) {
    for (const label of labels) {
      for (const key of [label.name, ...label.aliases]) this.addKey(key, label);
    }
  }

  private addKey(key: string, label: ResolvedLabel): void {
    const normal = key.toLowerCase();
    const list = this.byName.get(normal) ?? [];
    if (!list.includes(label)) list.push(label);
    this.byName.set(normal, list);
  }

  /** Labels named (or aliased) `name`, case-insensitively. More than one is a conflict. */
  find(name: string): ResolvedLabel[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  names(): string[] {
    const names = new Set<string>();
    for (const list of this.byName.values()) for (const label of list) names.add(label.name);
    return [...names];
  }

  labels(): ResolvedLabel[] {
    const all = new Set<ResolvedLabel>();
    for (const list of this.byName.values()) for (const label of list) all.add(label);
    return [...all];
  }
}
