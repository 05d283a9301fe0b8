// Validates an OpenAPI document (a file path, or - for standard input)
// with @apidevtools/swagger-parser: against the OpenAPI 3.0 JSON Schema,
// then the rules a schema cannot express (path parameters declared, unique
// operation ids, resolvable references). Prints "valid" or the errors.
import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';

const file = process.argv[2] ?? '-';
const doc = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
try {
  const api = await SwaggerParser.validate(doc);
  console.log(`valid OpenAPI ${api.openapi}: ${Object.keys(api.paths).length} paths`);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
