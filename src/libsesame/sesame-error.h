/* sesame-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SESAME_ERROR (sesame_error_quark ())

/**
 * SesameError:
 * @SESAME_ERROR_FAILED: an unexpected failure (the store, the disk)
 * @SESAME_ERROR_NOT_FOUND: the person, account, file or campaign does not exist
 * @SESAME_ERROR_PERMISSION_DENIED: the operator may not do this
 * @SESAME_ERROR_REFUSED: the operation is not allowed on this target
 *   (academy staff, a login already taken, a password that breaks the policy)
 * @SESAME_ERROR_INVALID: bad input (a malformed file, a bad argument)
 * @SESAME_ERROR_CANCELLED: the operation was cancelled
 * @SESAME_ERROR_STORE_VERSION: the store was written by a newer Sésame
 * @SESAME_ERROR_BUSY: the store stayed locked by another connection or
 *   program (an import, another desk) for longer than the wait allowed:
 *   trying again in a moment may succeed
 * @SESAME_ERROR_NO_STORE: there is no store at the path given, and the
 *   caller did not ask for one to be created
 * @SESAME_ERROR_ENT_NOT_SET: the ENT's name or address is not set, so
 *   nothing can be printed or sent to families yet: an administrator sets
 *   it in the preferences
 *
 * Errors of the Sésame core. Messages are translated and written for the
 * person reading them.
 */
typedef enum
{
  SESAME_ERROR_FAILED,
  SESAME_ERROR_NOT_FOUND,
  SESAME_ERROR_PERMISSION_DENIED,
  SESAME_ERROR_REFUSED,
  SESAME_ERROR_INVALID,
  SESAME_ERROR_CANCELLED,
  SESAME_ERROR_STORE_VERSION,
  SESAME_ERROR_BUSY,
  SESAME_ERROR_NO_STORE,
  SESAME_ERROR_ENT_NOT_SET,
} SesameError;

GQuark sesame_error_quark (void);

G_END_DECLS
