// A real OpenID provider for the tests: the certified npm `oidc-provider`, with its own
// login page (its development interactions: any login name, any password), one client
// for Soundings, and PKCE required. Every login name is an account whose address is the
// name; names starting with "unverified" have an address the provider has not verified,
// and names starting with "noclaim" come with no email_verified claim at all (as Microsoft
// Entra ID sends them).
//
//   node end2end/oidc/provider.mjs PORT "REDIRECT_URI ..."
//
// For the attacks a test needs a token the provider would never sign as it is: a POST to
// /__test/tamper with claims (JSON) makes the next token response carry an ID token with
// those claims changed, signed again with the provider's own key, as a stolen signing key
// or a confused provider would.
import Provider from "oidc-provider";
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, importJWK } from "jose";
import http from "node:http";

const port = Number(process.argv[2]);
const redirectUris = (process.argv[3] ?? "").split(" ").filter(Boolean);
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "soundings",
      client_secret: "a test client secret",
      redirect_uris: redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        if (id.startsWith("noclaim")) return { sub: id, email: id };
        return { sub: id, email: id, email_verified: !id.startsWith("unverified") };
      },
    };
  },
  // Soundings is the organisation's own application: no consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email");
    grant.addOIDCClaims(["email", "email_verified"]);
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["a test cookie key"] },
});

let tamper = null;
provider.use(async (ctx, next) => {
  await next();
  if (tamper && ctx.path === "/token" && ctx.body?.id_token) {
    const claims = { ...decodeJwt(ctx.body.id_token), ...tamper };
    const key = await importJWK(jwk, "RS256");
    const idToken = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "test-key" }).sign(key);
    ctx.body = { ...ctx.body, id_token: idToken };
    tamper = null;
  }
});

const handle = provider.callback();
http
  .createServer((req, res) => {
    if (req.method === "POST" && req.url === "/__test/tamper") {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        tamper = JSON.parse(body || "null");
        res.end("ok");
      });
      return;
    }
    handle(req, res);
  })
  .listen(port, "127.0.0.1", () => console.log(`ready ${issuer}`));
