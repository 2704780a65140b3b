/* sesame-sign-in-throttle.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameThrottleKind:
 * @SESAME_THROTTLE_SIGN_IN: a login and password typed on a sign-in form
 * @SESAME_THROTTLE_RESET: a request for a reset link
 *
 * What an attempt was, each with its own limits.
 */
typedef enum
{
  SESAME_THROTTLE_SIGN_IN,
  SESAME_THROTTLE_RESET,
} SesameThrottleKind;

/* Failed sign-ins allowed per login, and per client address, in the window. */
#define SESAME_THROTTLE_SIGN_IN_PER_LOGIN   5
#define SESAME_THROTTLE_SIGN_IN_PER_CLIENT  30
#define SESAME_THROTTLE_SIGN_IN_WINDOW      (15 * 60)
/* Reset requests allowed per login, and per client address, in the window. */
#define SESAME_THROTTLE_RESET_PER_LOGIN     3
#define SESAME_THROTTLE_RESET_PER_CLIENT    10
#define SESAME_THROTTLE_RESET_WINDOW        3600

gboolean sesame_sign_in_throttle_allows (SesameStore         *self,
                                         SesameThrottleKind   kind,
                                         const char          *login,
                                         const char          *client,
                                         gint64              *retry_after,
                                         GError             **error);
gboolean sesame_sign_in_throttle_record (SesameStore         *self,
                                         SesameThrottleKind   kind,
                                         const char          *login,
                                         const char          *client,
                                         gboolean             succeeded,
                                         GError             **error);

G_END_DECLS
