/** A demo user's token, signed in through the public API. */
export async function demoLogin(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`demo login ${username} failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** Demo pledges submitted through the public API, so the inbox and dashboard have something to show. */
export async function submitDemoPledges(baseUrl: string, password: string) {
  const login = (username: string) => demoLogin(baseUrl, username, password);
  const year = new Date().getUTCFullYear();
  const pledges: Array<[string, string, unknown]> = [
    [
      'liaison.fra',
      'demo-mirage',
      {
        donor: 'FRA',
        items: [
          {
            systemId: 'mirage-2000-5',
            quantity: 6,
            deliveryWindow: { from: `${year + 1}-06-01`, to: `${year + 1}-12-31` },
          },
        ],
        trainingOffered: true,
        sustainment: { spareParts: true, maintenanceYears: 2 },
        valueEur: 450_000_000,
        notes:
          'Mirage 2000-5F from French Air and Space Force stocks, with pilot and mechanic training in France.',
      },
    ],
    [
      'liaison.deu',
      'demo-iris-t',
      {
        donor: 'DEU',
        items: [
          {
            systemId: 'iris-t-slm',
            quantity: 2,
            deliveryWindow: { from: `${year + 1}-03-01`, to: `${year + 1}-09-30` },
          },
        ],
        trainingOffered: true,
        sustainment: { spareParts: true, maintenanceYears: 3 },
        valueEur: 300_000_000,
      },
    ],
    [
      'staff',
      'demo-f16-nld',
      {
        donor: 'NLD',
        items: [
          {
            systemId: 'f-16',
            quantity: 6,
            deliveryWindow: { from: `${year + 1}-09-01`, to: `${year + 2}-03-31` },
          },
        ],
        trainingOffered: true,
        sustainment: { spareParts: true, maintenanceYears: 5 },
        valueEur: 600_000_000,
      },
    ],
  ];
  const ids: string[] = [];
  for (const [username, key, body] of pledges) {
    const token = await login(username);
    const res = await fetch(`${baseUrl}/api/v1/pledges`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });
    if (res.status !== 202) throw new Error(`demo pledge ${key}: ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}
