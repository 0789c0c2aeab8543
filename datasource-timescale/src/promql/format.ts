// Numbers as Go's strconv prints them, for the API's sample values (Prometheus: 'f' between 1e-6
// and 1e21, else 'e', shortest) and for count_values' label (always 'f', shortest).

/** The API's sample value text: "NaN", "+Inf", "-Inf", "0.25", "1e-07", "1.5e+21". */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const abs = Math.abs(v);
  if (abs < 1e-6 || abs >= 1e21) return goExponent(v.toExponential());
  return String(v);
}

/** strconv.FormatFloat(v, 'f', -1, 64). */
export function formatFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= digits.length - 1) out = digits + '0'.repeat(exp - digits.length + 1);
  else if (exp >= 0) out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  return negative ? `-${out}` : out;
}

/** JS "1e-7" / "1.5e+21" to Go's "1e-07" / "1.5e+21" (at least two exponent digits). */
function goExponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}
