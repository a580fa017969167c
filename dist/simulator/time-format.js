// SkyPilot's `log_utils.readable_time_duration` (relative "2 hrs ago" and absolute "1h 2m 3s"),
// which renders pendulum's calendar-precise difference in UTC. The rules below restate pendulum 3's
// precise_diff + DifferenceFormatter + Interval.in_words for the English locale.
const DAYS_IN_MONTH = [
    [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
    [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
];
const isLeap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
function parts(ts) {
    const totalUs = Math.round(ts * 1e6);
    const sec = Math.floor(totalUs / 1e6);
    const us = totalUs - sec * 1e6;
    const d = new Date(sec * 1000);
    return {
        y: d.getUTCFullYear(),
        mo: d.getUTCMonth() + 1,
        d: d.getUTCDate(),
        h: d.getUTCHours(),
        mi: d.getUTCMinutes(),
        s: d.getUTCSeconds(),
        us,
        totalUs,
    };
}
export function preciseDiff(startTs, endTs) {
    let a = parts(startTs);
    let b = parts(endTs);
    // Signed, like timedelta.total_seconds(): an end before the start is negative (so "< 1 sec").
    const totalSeconds = Math.trunc((b.totalUs - a.totalUs) / 1e6);
    const invert = a.totalUs > b.totalUs;
    if (invert)
        [a, b] = [b, a];
    if (a.totalUs === b.totalUs) {
        return { years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0, totalSeconds: 0, invert: false };
    }
    let dDiff = 0;
    let hour = b.h - a.h;
    let min = b.mi - a.mi;
    let sec = b.s - a.s;
    const mic = b.us - a.us;
    if (mic < 0)
        sec -= 1;
    if (sec < 0) {
        sec += 60;
        min -= 1;
    }
    if (min < 0) {
        min += 60;
        hour -= 1;
    }
    if (hour < 0) {
        hour += 24;
        dDiff -= 1;
    }
    let yDiff = b.y - a.y;
    let mDiff = b.mo - a.mo;
    dDiff += b.d - a.d;
    if (dDiff < 0) {
        let year = b.y;
        let month = b.mo;
        if (month === 1) {
            month = 12;
            year -= 1;
        }
        else
            month -= 1;
        const daysInLastMonth = DAYS_IN_MONTH[isLeap(year) ? 1 : 0][month];
        const daysInMonth = DAYS_IN_MONTH[isLeap(b.y) ? 1 : 0][b.mo];
        if (dDiff < daysInMonth - daysInLastMonth) {
            dDiff += daysInLastMonth < a.d ? a.d : daysInLastMonth;
        }
        else if (dDiff === daysInMonth - daysInLastMonth) {
            dDiff = 0;
            mDiff += 1;
        }
        else {
            dDiff += daysInLastMonth;
        }
        mDiff -= 1;
    }
    if (mDiff < 0) {
        mDiff += 12;
        yDiff -= 1;
    }
    return { years: yDiff, months: mDiff, days: dDiff, hours: hour, minutes: min, seconds: sec, totalSeconds, invert };
}
const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
/** pendulum `diff_for_humans` (English) of a difference, relative to now or to another instant. */
function forHumans(d, isNow) {
    const weeks = Math.floor(d.days / 7);
    const remDays = d.days % 7;
    let unit;
    let count;
    if (d.years > 0) {
        unit = 'year';
        count = d.years + (d.months > 6 ? 1 : 0);
    }
    else if (d.months === 11 && weeks * 7 + remDays > 15) {
        unit = 'year';
        count = 1;
    }
    else if (d.months > 0) {
        unit = 'month';
        count = d.months + (weeks * 7 + remDays >= 27 ? 1 : 0);
    }
    else if (weeks > 0) {
        unit = 'week';
        count = weeks + (remDays > 3 ? 1 : 0);
    }
    else if (remDays > 0) {
        unit = 'day';
        count = remDays + (d.hours >= 22 ? 1 : 0);
    }
    else if (d.hours > 0) {
        unit = 'hour';
        count = d.hours;
    }
    else if (d.minutes > 0) {
        unit = 'minute';
        count = d.minutes;
    }
    else if (d.seconds > 10 && d.seconds < 60) {
        unit = 'second';
        count = d.seconds;
    }
    else {
        const few = 'a few seconds';
        if (isNow)
            return d.invert ? `in ${few}` : `${few} ago`;
        return d.invert ? `${few} after` : `${few} before`;
    }
    if (count === 0)
        count = 1;
    const amount = plural(count, unit);
    if (isNow)
        return d.invert ? `in ${amount}` : `${amount} ago`;
    return d.invert ? `${amount} after` : `${amount} before`;
}
function inWords(d) {
    const weeks = Math.floor(d.days / 7);
    const items = [
        ['year', d.years],
        ['month', d.months],
        ['week', weeks],
        ['day', d.days % 7],
        ['hour', d.hours],
        ['minute', d.minutes],
        ['second', d.seconds],
    ];
    return items
        .filter(([, n]) => n !== 0)
        .map(([u, n]) => plural(n, u))
        .join(' ');
}
/**
 * `readable_time_duration(start, end, absolute)`. `end === null` means "now" (the simulated
 * clock's now, passed in `now`).
 */
export function readableTimeDuration(start, end, absolute, now) {
    if (start === null || start === undefined || start < 0)
        return '-';
    if (end === start && start === 0)
        return '-';
    const isNow = end === null || end === undefined;
    const d = preciseDiff(start, isNow ? now : end);
    let diff;
    if (absolute) {
        diff = d.totalSeconds < 1 ? '< 1 second' : inWords(d);
        diff = diff
            .replaceAll(' seconds', 's')
            .replaceAll(' second', 's')
            .replaceAll(' minutes', 'm')
            .replaceAll(' minute', 'm')
            .replaceAll(' hours', 'h')
            .replaceAll(' hour', 'h')
            .replaceAll(' days', 'd')
            .replaceAll(' day', 'd')
            .replaceAll(' weeks', 'w')
            .replaceAll(' week', 'w')
            .replaceAll(' months', 'mo')
            .replaceAll(' month', 'mo');
    }
    else {
        diff = d.totalSeconds < 1 ? '< 1 second' : forHumans(d, isNow);
        diff = diff.replaceAll('second', 'sec').replaceAll('minute', 'min').replaceAll('hour', 'hr');
    }
    return diff;
}
