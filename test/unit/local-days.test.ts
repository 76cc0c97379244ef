import { describe, expect, it } from 'vitest';
import { isLocalDate, isoWithOffset, localDateOf, localDaysBetween, startOfLocalDay } from '../../electron/shared/domain/local-days';

describe('local days', () => {
  it('a DST spring-forward day in New York lasts 23 hours and the fall-back day 25', () => {
    const [spring] = localDaysBetween('2026-03-08', '2026-03-08', 'America/New_York');
    expect(spring!.start).toBe(Date.parse('2026-03-08T05:00:00Z'));
    expect(spring!.end - spring!.start).toBe(23 * 3_600_000);
    const [fall] = localDaysBetween('2026-11-01', '2026-11-01', 'America/New_York');
    expect(fall!.end - fall!.start).toBe(25 * 3_600_000);
  });

  it('a day whose midnight does not exist begins at the first instant after the gap', () => {
    // Chile's clocks jumped from 24:00 to 01:00 on 2026-09-06 (America/Santiago).
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(localDateOf(start, 'America/Santiago')).toBe('2026-09-06');
    expect(localDateOf(start - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('consecutive days tile time with no gap or overlap in a half-hour zone', () => {
    const days = localDaysBetween('2026-01-01', '2026-12-31', 'Asia/Kolkata');
    expect(days).toHaveLength(365);
    for (let i = 1; i < days.length; i++) expect(days[i]!.start).toBe(days[i - 1]!.end);
    expect(days[0]!.start).toBe(Date.parse('2025-12-31T18:30:00Z'));
  });

  it('knows which strings are calendar dates', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-1-01')).toBe(false);
    expect(isLocalDate(20260101)).toBe(false);
  });

  it('writes ISO times with the offset in force at that instant, on both sides of a change', () => {
    expect(isoWithOffset(Date.parse('2026-11-01T05:59:59.999Z'), 'America/New_York')).toBe('2026-11-01T01:59:59.999-04:00');
    expect(isoWithOffset(Date.parse('2026-11-01T06:00:00.000Z'), 'America/New_York')).toBe('2026-11-01T01:00:00.000-05:00');
    // Lord Howe moves by half an hour, at 02:00 local (15:00 UTC the day before).
    expect(isoWithOffset(Date.parse('2026-10-03T15:29:59.000Z'), 'Australia/Lord_Howe')).toBe('2026-10-04T01:59:59.000+10:30');
    expect(isoWithOffset(Date.parse('2026-10-03T15:30:00.000Z'), 'Australia/Lord_Howe')).toBe('2026-10-04T02:30:00.000+11:00');
    expect(isoWithOffset(Date.parse('2026-06-01T12:00:00.000Z'), 'Asia/Kathmandu')).toBe('2026-06-01T17:45:00.000+05:45');
  });
});
