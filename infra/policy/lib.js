'use strict';
// Loads every Terraform (.tf) and Packer (.pkr.hcl) file of the repository as JSON with
// @cdktf/hcl2json, so the policy tests can assert on the estate without a provider.

const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('@cdktf/hcl2json');

const repo = path.resolve(__dirname, '..', '..');
const terraformRoot = process.env.KILN_TERRAFORM_DIR || path.join(repo, 'terraform');
const packerRoot = process.env.KILN_PACKER_DIR || path.join(repo, 'packer');

function filesUnder(root, suffix) {
  if (!fs.existsSync(root)) return [];
  const found = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full, suffix));
    else if (entry.name.endsWith(suffix)) found.push(full);
  }
  return found.sort();
}

async function parseAll(files) {
  const parsed = [];
  for (const file of files) {
    const json = await parse(file, fs.readFileSync(file, 'utf8'));
    parsed.push({ file: path.relative(repo, file), json });
  }
  return parsed;
}

let cache;
/** Every .tf file under terraform/, parsed: [{ file, json }]. */
async function terraform() {
  if (!cache) cache = await parseAll(filesUnder(terraformRoot, '.tf'));
  return cache;
}

/** Every .pkr.hcl file under packer/, parsed. */
async function packer() {
  return parseAll(filesUnder(packerRoot, '.pkr.hcl'));
}

/** Blocks of one kind ('resource' or 'data') and type: [{ file, name, body, address }]. */
async function blocks(kind, type) {
  const result = [];
  for (const { file, json } of await terraform()) {
    const ofType = (json[kind] || {})[type] || {};
    for (const [name, bodies] of Object.entries(ofType)) {
      for (const body of bodies) {
        result.push({ file, name, body, address: `${kind === 'data' ? 'data.' : ''}${type}.${name}` });
      }
    }
  }
  return result;
}

const resources = (type) => blocks('resource', type);
const data = (type) => blocks('data', type);

/** Module calls: [{ file, name, body }]. */
async function modules() {
  const result = [];
  for (const { file, json } of await terraform()) {
    for (const [name, bodies] of Object.entries(json.module || {})) {
      for (const body of bodies) result.push({ file, name, body });
    }
  }
  return result;
}

/** The first element of a nested block list, or {} when absent. */
function one(body, key) {
  const value = body[key];
  if (Array.isArray(value)) return value[0] || {};
  return value || {};
}

/** ignore_changes of a resource's lifecycle block, without the ${...} wrapping. */
function ignoredChanges(body) {
  const ignore = one(body, 'lifecycle').ignore_changes || [];
  return ignore.map((entry) => String(entry).replace(/^\$\{/, '').replace(/\}$/, ''));
}

module.exports = { repo, terraformRoot, packerRoot, terraform, packer, resources, data, modules, one, ignoredChanges, filesUnder };
