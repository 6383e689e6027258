import { useState, type FormEvent } from 'react';
import type { CityWithForecast } from '../../../electron/core/contract';
import { api } from '../host';
import { useHostData, useNow } from '../hooks';
import { ago, when } from '../format';
import { Confirm, Dialog, Disclosure, FormActions, Pending, useToast } from '../components/ui';

export function WeatherPage() {
  const toast = useToast();
  const cities = useHostData(
    () => api.listCities(),
    (e) => e.type === 'data-changed' && e.what === 'weather',
  );
  const [editing, setEditing] = useState<CityWithForecast | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CityWithForecast | null>(null);
  return (
    <section aria-labelledby="weather-title">
      <h1 id="weather-title">Weather</h1>
      <p className="lead">
        The cities the weather server knows. With the live provider on, it asks Open-Meteo and uses these as a fallback.
      </p>
      <Provider />
      <div className="toolbar">
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          Add city
        </button>
      </div>
      {!cities.data && <Pending state={cities} what="cities" />}
      {cities.data && cities.data.length === 0 && <p className="muted">No cities yet. Add one to answer weather questions offline.</p>}
      {cities.data && cities.data.length > 0 && (
        <table className="data" aria-label="Cities">
          <thead>
            <tr>
              <th scope="col">City</th>
              <th scope="col">Temperature</th>
              <th scope="col">Conditions</th>
              <th scope="col">Humidity</th>
              <th scope="col">Wind</th>
              <th scope="col">Forecast days</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {cities.data.map((c) => (
              <tr key={c.id}>
                <td className="city-cell">
                  {c.name}
                  {c.country && <span className="muted">, {c.country}</span>}
                  {/* What AI apps call it (get_forecast's city_id). */}
                  <span className="city-id muted" title="What AI apps call this city">
                    {c.id}
                  </span>
                </td>
                <td>
                  {c.temperature}°{c.unit === 'celsius' ? 'C' : 'F'}
                </td>
                <td>{c.conditions}</td>
                <td>{c.humidity}%</td>
                <td>
                  {c.wind_speed} {c.wind_unit}
                </td>
                <td>{c.forecast.length}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                    Edit
                  </button>
                  <button type="button" className="danger" onClick={() => setDeleting(c)} aria-label={`Delete ${c.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <CityDialog city={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <Confirm
        open={deleting !== null}
        title="Delete city"
        danger
        confirmLabel="Delete"
        message={`Delete ${deleting?.name} and its saved forecast?`}
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          const c = deleting!;
          setDeleting(null);
          try {
            await api.deleteCity({ id: c.id });
            toast('success', `Deleted ${c.name}`);
          } catch (err) {
            toast('error', (err as Error).message);
          }
        }}
      />
    </section>
  );
}

/** Whether live weather works, or since when answers come from the saved cities instead and why; Check now asks again. */
function LiveState() {
  const now = useNow(30_000);
  const live = useHostData(
    () => api.getLiveWeather(),
    (e) => (e.type === 'data-changed' && e.what === 'weather') || e.type === 'settings',
  );
  const [checking, setChecking] = useState(false);
  if (!live.data) return null;
  const s = live.data.status;
  const check = (
    <button
      type="button"
      disabled={checking}
      onClick={() => {
        setChecking(true);
        api.checkLiveWeather().then(
          () => {
            setChecking(false);
            live.reload();
          },
          () => setChecking(false),
        );
      }}
    >
      {checking ? 'Checking…' : 'Check now'}
    </button>
  );
  if (!s)
    return (
      <p className="live-state" data-testid="live-state">
        Live weather has not been asked yet. {check}
      </p>
    );
  if (s.ok)
    return (
      <p className="live-state live-ok" data-testid="live-state">
        <span aria-hidden="true">✓</span> Live weather works (last answer {ago(s.at, now)}). {check}
      </p>
    );
  return (
    <div className="warn-box live-state" role="alert" data-testid="live-state">
      <p>
        <strong>Live weather unavailable — answering from saved cities since {when(s.since, now)}.</strong> Open-Meteo:{' '}
        {s.reason?.replace(/\.$/, '')}. Last tried {ago(s.at, now)}.
      </p>
      {check}
    </div>
  );
}

function Provider() {
  const toast = useToast();
  const settings = useHostData(
    () => api.getSettings(),
    (e) => e.type === 'settings',
  );
  if (!settings.data) return <Pending state={settings} what="provider" />;
  const w = settings.data.weather;
  const save = async (patch: Parameters<typeof api.updateSettings>[0]) => {
    try {
      await api.updateSettings(patch);
      toast('success', 'Weather provider saved');
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };
  return (
    <fieldset className="card">
      <legend>Where weather comes from</legend>
      <label className="check">
        <input type="radio" name="provider" checked={w.provider === 'local'} onChange={() => save({ weather: { provider: 'local' } })} />{' '}
        Saved cities only (works offline)
      </label>
      <label className="check">
        <input
          type="radio"
          name="provider"
          checked={w.provider === 'open-meteo'}
          onChange={() => void save({ weather: { provider: 'open-meteo' } }).then(() => api.checkLiveWeather().catch(() => {}))}
        />{' '}
        Live from Open-Meteo (no account needed), saved cities as fallback
      </label>
      {w.provider === 'open-meteo' && <LiveState />}
      {w.provider === 'open-meteo' && (
        // Addresses and timeouts are for a person who runs their own copy of the service: under Advanced.
        <Disclosure summary="Advanced: the service's addresses and how long to wait" className="advanced">
          <form
            className="form-grid"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              void save({
                weather: {
                  geocodingBaseUrl: String(f.get('geo')),
                  forecastBaseUrl: String(f.get('fc')),
                  timeoutMs: Math.round(Number(f.get('timeout')) * 1000),
                },
              });
            }}
          >
            <div className="field">
              <label htmlFor="geo">Geocoding URL</label>
              <input id="geo" name="geo" type="url" defaultValue={w.geocodingBaseUrl} required />
            </div>
            <div className="field">
              <label htmlFor="fc">Forecast URL</label>
              <input id="fc" name="fc" type="url" defaultValue={w.forecastBaseUrl} required />
            </div>
            <div className="field">
              <label htmlFor="timeout">Give up after (seconds)</label>
              <input id="timeout" name="timeout" type="number" min={0.5} max={30} step={0.5} defaultValue={w.timeoutMs / 1000} />
            </div>
            <div className="actions">
              <button type="submit">Save</button>
            </div>
          </form>
        </Disclosure>
      )}
    </fieldset>
  );
}

function CityDialog({ city, onClose }: { city: CityWithForecast | null; onClose: () => void }) {
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [days, setDays] = useState(city?.forecast ?? []);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    const n = (k: string) => Number(s(k));
    const fields = {
      name: s('name'),
      country: s('country'),
      temperature: n('temperature'),
      unit: s('unit') as 'celsius' | 'fahrenheit',
      conditions: s('conditions'),
      humidity: n('humidity'),
      wind_speed: n('wind_speed'),
      wind_unit: s('wind_unit') as 'mph' | 'km/h',
    };
    try {
      const saved = city ? await api.updateCity({ id: city.id, patch: fields }) : await api.addCity(fields);
      await api.setForecast({ id: saved.id, days });
      toast('success', `Saved ${saved.name}`);
      onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const setDay = (i: number, patch: Partial<(typeof days)[number]>) =>
    setDays((all) => all.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <Dialog title={city ? `Edit ${city.name}` : 'Add a city'} open onClose={onClose} wide>
      <form onSubmit={submit} className="form-grid">
        <div className="field">
          <label htmlFor="c-name">Name *</label>
          <input id="c-name" name="name" required defaultValue={city?.name} maxLength={80} />
        </div>
        <div className="field">
          <label htmlFor="c-country">Country</label>
          <input id="c-country" name="country" defaultValue={city?.country} maxLength={80} />
        </div>
        <div className="field">
          <label htmlFor="c-temp">Temperature *</label>
          <input id="c-temp" name="temperature" type="number" step="0.1" required defaultValue={city?.temperature} />
        </div>
        <div className="field">
          <label htmlFor="c-unit">Unit</label>
          <select id="c-unit" name="unit" defaultValue={city?.unit ?? 'celsius'}>
            <option value="celsius">°C</option>
            <option value="fahrenheit">°F</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="c-cond">Conditions *</label>
          <input id="c-cond" name="conditions" required defaultValue={city?.conditions} maxLength={60} />
        </div>
        <div className="field">
          <label htmlFor="c-hum">Humidity % *</label>
          <input id="c-hum" name="humidity" type="number" min={0} max={100} step={1} required defaultValue={city?.humidity} />
        </div>
        <div className="field">
          <label htmlFor="c-wind">Wind *</label>
          <input id="c-wind" name="wind_speed" type="number" min={0} step="0.1" required defaultValue={city?.wind_speed} />
        </div>
        <div className="field">
          <label htmlFor="c-wunit">Wind unit</label>
          <select id="c-wunit" name="wind_unit" defaultValue={city?.wind_unit ?? 'mph'}>
            <option value="mph">mph</option>
            <option value="km/h">km/h</option>
          </select>
        </div>
        <fieldset className="span-all">
          <legend>Forecast (days ahead)</legend>
          {days.map((d, i) => (
            <div className="forecast-row" key={i}>
              <label>
                Day <input type="number" min={1} max={16} value={d.day} onChange={(e) => setDay(i, { day: Number(e.target.value) })} />
              </label>
              <label>
                Conditions <input value={d.conditions} onChange={(e) => setDay(i, { conditions: e.target.value })} />
              </label>
              <label>
                High <input type="number" value={d.high} onChange={(e) => setDay(i, { high: Number(e.target.value) })} />
              </label>
              <label>
                Low <input type="number" value={d.low} onChange={(e) => setDay(i, { low: Number(e.target.value) })} />
              </label>
              <button type="button" onClick={() => setDays((all) => all.filter((_, j) => j !== i))} aria-label={`Remove day ${d.day}`}>
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            disabled={days.length >= 16}
            onClick={() => setDays((all) => [...all, { day: (all.at(-1)?.day ?? 0) + 1, conditions: 'Sunny', high: 20, low: 10 }])}
          >
            Add a day
          </button>
        </fieldset>
        <FormActions error={error} submitLabel="Save" onCancel={onClose} className="span-all" />
      </form>
    </Dialog>
  );
}
