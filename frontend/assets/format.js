// Figures written the way the server writes them (frontend/display.py): waste in tonnes, grouping
// and decimal separator of the page's language.

const PLACES = { waste_kg: 1, area_ha: 1, volunteer_hours: 1 };
const WHOLE_FROM = 1000; // from a thousand up a figure is shown whole

export function displayValue(metric, value) {
  const amount = Number(value) || 0;
  return metric === "waste_kg" ? amount / 1000 : amount;
}

export function formatMetric(metric, value, language) {
  const amount = displayValue(metric, value);
  const places = PLACES[metric] || 0;
  const shown = Math.abs(Number(amount.toFixed(places))) < WHOLE_FROM ? places : 0;
  return new Intl.NumberFormat(language, {
    minimumFractionDigits: shown,
    maximumFractionDigits: shown,
    useGrouping: true,
  }).format(amount);
}

export function formatClock(isoTime, language) {
  if (!isoTime) return "—";
  return new Intl.DateTimeFormat(language, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZone: "Asia/Almaty",
  }).format(new Date(isoTime));
}
