// Generates openapi.d.ts from the OpenAPI document through openapi-typescript's Node API.
// The command line turns an open enumeration into `("NEW" | … | "CHARGED") | string`, which
// TypeScript reduces to `string`; the schemas mark the open fallback `tsType: "string & {}"`, and
// this transform honours it, so the known values survive beside any other string.
// Usage: node generate.mjs schemas/openapi.json openapi.d.ts
import fs from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  throw new Error("usage: node generate.mjs OPENAPI_JSON OUTPUT_D_TS");
}
// `string & {}`: any string, without absorbing the literal members of the union.
const openString = ts.factory.createIntersectionTypeNode([
  ts.factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword),
  ts.factory.createTypeLiteralNode([]),
]);
const ast = await openapiTS(fs.readFileSync(input, "utf8"), {
  transform(schema) {
    return schema.tsType === "string & {}" ? openString : undefined;
  },
});
fs.writeFileSync(output, astToString(ast));
