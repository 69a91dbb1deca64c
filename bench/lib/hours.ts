/** Opening hours the benchmarks' resources share: open around the clock, every day. */
const allDay = [{ start: '00:00', end: '24:00' }];

export const OPEN_ALL_WEEK = {
  mon: allDay,
  tue: allDay,
  wed: allDay,
  thu: allDay,
  fri: allDay,
  sat: allDay,
  sun: allDay,
};
