// Who "the current user" is, as SkyPilot's client reports it (SKYPILOT_USER / SKYPILOT_USER_ID).
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
export function currentUser() {
    let name = process.env.SKYPILOT_USER;
    if (!name) {
        try {
            name = userInfo().username;
        }
        catch {
            name = 'sky-user';
        }
    }
    const hash = process.env.SKYPILOT_USER_ID || createHash('md5').update(name).digest('hex').slice(0, 8);
    return { name, hash };
}
