import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto"
import { Access } from "@shuangbai/core"
import { ApiError, Authentication } from "@shuangbai/server"
import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"

// The hotline's own users: a password each, a session token after logging in, and the principal the
// library acts for. Shuangbai never sees a password: the host maps a request to a principal.

export const migrate = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`
    yield* sql`CREATE TABLE IF NOT EXISTS ${sql(schema)}.users (
      username text PRIMARY KEY, salt text NOT NULL, hash text NOT NULL, principal jsonb NOT NULL)`
    yield* sql`CREATE TABLE IF NOT EXISTS ${sql(schema)}.sessions (
      token text PRIMARY KEY, username text NOT NULL REFERENCES ${sql(schema)}.users)`
  })

const hashOf = (password: string, salt: string) => scryptSync(password, salt, 32).toString("hex")

export const addUser = (schema: string, username: string, password: string, principal: Access.Principal) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const salt = randomBytes(16).toString("hex")
    const encoded = Schema.encodeSync(Access.Principal)(principal)
    yield* sql`INSERT INTO ${sql(schema)}.users ${sql.insert({
      username,
      salt,
      hash: hashOf(password, salt),
      principal: JSON.stringify(encoded)
    })}`
  })

/** A session token for the right password, nothing otherwise. */
export const login = (schema: string, username: string, password: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ salt: string; hash: string }>`
      SELECT salt, hash FROM ${sql(schema)}.users WHERE username = ${username}`
    const user = rows[0]
    const matches =
      user !== undefined &&
      timingSafeEqual(Buffer.from(hashOf(password, user.salt), "hex"), Buffer.from(user.hash, "hex"))
    if (!matches) return undefined
    const token = randomBytes(24).toString("base64url")
    yield* sql`INSERT INTO ${sql(schema)}.sessions ${sql.insert({ token, username })}`
    return token
  })

const decodePrincipal = Schema.decodeUnknownSync(Access.Principal)

/** Who holds a session: `Authorization: Bearer <token>` → the user's principal. */
export const authentication = (
  schema: string
): Layer.Layer<Authentication.Authentication, never, SqlClient.SqlClient> =>
  Layer.effect(
    Authentication.Authentication,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return {
        authenticate: (request) => {
          const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1]
          if (token === undefined) return Effect.fail(ApiError.unauthenticated("log in at POST /login first"))
          return sql<{ principal: unknown }>`
            SELECT u.principal FROM ${sql(schema)}.sessions s JOIN ${sql(schema)}.users u USING (username)
            WHERE s.token = ${token}`.pipe(
            Effect.orDie,
            Effect.flatMap((rows) =>
              rows[0] === undefined
                ? Effect.fail(ApiError.unauthenticated("this session is not known: log in again"))
                : Effect.succeed(
                    decodePrincipal(
                      typeof rows[0].principal === "string" ? JSON.parse(rows[0].principal) : rows[0].principal
                    )
                  )
            )
          )
        }
      }
    })
  )
