// Figures written the way the server writes them (frontend/display.py): waste in tonnes, grouping
// and decimal separator of the page's language.

const PLACES = { waste_kg: 1, area_ha: 1, volunteer_hours: 1 };

export function displayValue(metric, value) {
  const amount = Number(value) || 0;
  return metric === "waste_kg" ? amount / 1000 : amount;
}

export function formatMetric(metric, value, language) {
  const places = PLACES[metric] || 0;
  return new Intl.NumberFormat(language, {
    minimumFractionDigits: places,
    maximumFractionDigits: places,
    useGrouping: true,
  }).format(displayValue(metric, value));
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
