import type { TemperatureUnit } from './schema.js';

const ABSOLUTE_ZERO: Record<TemperatureUnit, number> = { celsius: -273.15, fahrenheit: -459.67, kelvin: 0 };
export const UNIT_SYMBOL: Record<TemperatureUnit, string> = { celsius: '°C', fahrenheit: '°F', kelvin: 'K' };

export class BelowAbsoluteZero extends Error {}

/** Converts through kelvin; rounds away float noise (72 °F → 22.22 °C, not 22.222222222222). */
export function convertTemperature(value: number, from: TemperatureUnit, to: TemperatureUnit): number {
  if (value < ABSOLUTE_ZERO[from] - 1e-9) {
    throw new BelowAbsoluteZero(`${value}${UNIT_SYMBOL[from]} is below absolute zero (${ABSOLUTE_ZERO[from]}${UNIT_SYMBOL[from]})`);
  }
  const kelvin = from === 'kelvin' ? value : from === 'celsius' ? value + 273.15 : ((value - 32) * 5) / 9 + 273.15;
  const out = to === 'kelvin' ? kelvin : to === 'celsius' ? kelvin - 273.15 : ((kelvin - 273.15) * 9) / 5 + 32;
  return Math.round(out * 100) / 100;
}

export const formatTemperature = (value: number, unit: TemperatureUnit) => `${Math.round(value * 10) / 10}${UNIT_SYMBOL[unit]}`;
