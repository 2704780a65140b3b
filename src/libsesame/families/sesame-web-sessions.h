/* sesame-web-sessions.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

/* A session ends after this long without a request… */
#define SESAME_WEB_SESSION_IDLE_SECONDS     (30 * 60)
/* …and this long after the sign-in, whatever happens. */
#define SESAME_WEB_SESSION_ABSOLUTE_SECONDS (12 * 3600)

/**
 * SesameWebSession:
 * @id: the session's row, never shown to anyone
 * @person_key: the signed-in person
 * @login: their login
 * @must_change: they signed in with a first password and must choose
 *   their own before going on
 * @csrf_secret: the token every form of this session carries
 * @created_at: when they signed in (Unix time)
 * @expires_at: the absolute expiry (Unix time)
 *
 * A signed-in person on the families' pages.
 */
typedef struct
{
  char     *id;
  char     *person_key;
  char     *login;
  gboolean  must_change;
  char     *csrf_secret;
  gint64    created_at;
  gint64    expires_at;
} SesameWebSession;

void              sesame_web_sessions_free                 (SesameWebSession  *session);
SesameWebSession *sesame_web_sessions_open                 (SesameStore       *self,
                                                            const char        *person_key,
                                                            gboolean           must_change,
                                                            char             **cookie,
                                                            GError           **error);
SesameWebSession *sesame_web_sessions_lookup               (SesameStore       *self,
                                                            const char        *cookie,
                                                            GError           **error);
gboolean          sesame_web_sessions_end                  (SesameStore       *self,
                                                            const char        *id,
                                                            GError           **error);
gboolean          sesame_web_sessions_end_for_person       (SesameStore       *self,
                                                            const char        *person_key,
                                                            GError           **error);
gboolean          sesame_web_sessions_clear_must_change    (SesameStore       *self,
                                                            const char        *id,
                                                            GError           **error);
gboolean          sesame_web_sessions_set_reauth_marker    (SesameStore       *self,
                                                            const char        *id,
                                                            GError           **error);
gboolean          sesame_web_sessions_take_reauth_marker   (SesameStore       *self,
                                                            const char        *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameWebSession, sesame_web_sessions_free)

G_END_DECLS
