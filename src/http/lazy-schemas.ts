// Route schemas compiled on a route's first use instead of at boot (D114). Compiling the validators (Ajv) and
// response serializers (fast-json-stringify) of some 700 routes was most of a warm start; a route's first request
// now pays its own few milliseconds instead. The test app compiles eagerly, so a broken schema still fails the suite.
import type { ValidatorFactory } from '@fastify/ajv-compiler';
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/** What Fastify calls: Ajv's (data, dataCxt) shape, with errors left on the function after a failed call. */
type Validate = ((data: unknown, dataCxt?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };

/** Wraps a validator factory so that each route's validator is compiled when first called. */
export function lazyValidators(factory: ValidatorFactory): ValidatorFactory {
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    return (route) => {
      let compiled: Validate | undefined;
      const validate: Validate = (data, dataCxt) => {
        compiled ??= compile(route) as Validate;
        const result = compiled(data, dataCxt);
        validate.errors = compiled.errors;
        return result;
      };
      // Fastify passes the parent data (so Ajv may coerce a root value) only to functions that carry schemaEnv
      validate.schemaEnv = true;
      return validate as ReturnType<ReturnType<ValidatorFactory>>;
    };
  };
}

/**
 * Response serializers compiled when a route first answers with that status. Each compile gets its own copy of the
 * shared schemas: fast-json-stringify's compiler drops a route's own $id from the options it is handed, which must
 * not leak into the next route's compile now that the order follows traffic.
 */
export function lazySerializers(): SerializerFactory {
  const factory = SerializerSelector();
  return (externalSchemas, options) => (route) => {
    let compiled: ((doc: unknown) => string) | undefined;
    return (doc: unknown) => (compiled ??= factory(externalSchemas, options)(route))(doc);
  };
}
