// Numbers exactly as Go's strconv.FormatFloat(v, 'g', -1, 64) writes them, which is what
// node_exporter emits: shortest round-trip digits, exponent form when the decimal exponent
// is below -4 or at least 6 (Go hard-codes 6 for the shortest form), exponent with 2+ digits.

export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}
