// The UTC calendar of a Unix time in seconds, as Go's time package computes it for the date
// functions: any int64 second (JS Dates stop at ±8.64e12 s), and what Go's int64() conversion
// of NaN, ±Inf or out-of-range values gives on amd64 (math.MinInt64, which Go's time arithmetic
// wraps to Sunday 4 December 292277026596 15:30).

export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
  dayOfYear: number;
  daysInMonth: number;
}

const MIN_INT64_CIVIL: Civil = {
  year: 292277026596,
  month: 12,
  day: 4,
  hour: 15,
  minute: 30,
  weekday: 0,
  dayOfYear: 339,
  daysInMonth: 31,
};

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function civil(value: number): Civil {
  if (!(Math.abs(value) < 9.2e18)) return MIN_INT64_CIVIL;
  const secs = Math.trunc(value);
  const days = Math.floor(secs / 86_400);
  const rem = secs - days * 86_400;
  // Howard Hinnant's civil_from_days.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  let dayOfYear = day;
  for (let m = 1; m < month; m++) dayOfYear += MONTH_DAYS[m - 1] + (m === 2 && isLeap(year) ? 1 : 0);
  return {
    year,
    month,
    day,
    hour: Math.floor(rem / 3600),
    minute: Math.floor((rem % 3600) / 60),
    weekday: (((days + 4) % 7) + 7) % 7,
    dayOfYear,
    daysInMonth: MONTH_DAYS[month - 1] + (month === 2 && isLeap(year) ? 1 : 0),
  };
}
