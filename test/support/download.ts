import { DEMO_PASSWORD, type Stack } from './stack';

/** A file as a browser downloads it: the bytes the user named fetches from `path` (under /api/v1). */
export async function download(stack: Stack, path: string, username: string) {
  const login = await stack.anonymous.post('/api/v1/auth/login', { username, password: DEMO_PASSWORD });
  const res = await fetch(`${stack.url}/api/v1${path}`, {
    headers: { authorization: `Bearer ${login.body.token}` },
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}
