// Resources whose rows may be shared field by field (share grants): each module declares its resource and fields.
const shareable = new Map<string, readonly string[]>();

/** Declares that `resource` can be shared, naming the fields a grant may open (a module does this beside its service). */
export function declareShareable(resource: string, fields: readonly string[]): void {
  shareable.set(resource, fields);
}

/** The fields a grant on `resource` may name, or undefined when the resource cannot be shared. */
export function shareableFields(resource: string): readonly string[] | undefined {
  return shareable.get(resource);
}

export function shareableResources(): string[] {
  return [...shareable.keys()].sort();
}
