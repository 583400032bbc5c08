import { demoRequirements } from '../domain/reference/demo-requirements';
import { demoLogin } from './demo-pledges';

/**
 * Ukraine's demo requirements, stated by liaison.ukr through the public API (once: each under its own
 * Idempotency-Key), so the requirements pages and the dashboard's panel have something to show.
 */
export async function stateDemoRequirements(baseUrl: string, password: string): Promise<string[]> {
  const token = await demoLogin(baseUrl, 'liaison.ukr', password);
  const ids: string[] = [];
  for (const { key, ...body } of demoRequirements(new Date().getUTCFullYear() + 1)) {
    const res = await fetch(`${baseUrl}/api/v1/requirements`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': `demo-requirement-${key}`,
      },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`demo requirement ${key}: ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}
