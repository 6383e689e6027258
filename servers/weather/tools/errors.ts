import { ToolError } from '../../shared/tooling.js';
import { WeatherError } from '../service.js';

export async function weatherCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WeatherError) throw new ToolError(err.message);
    throw err;
  }
}
