/* sesame-signin-task.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame.h"

G_BEGIN_DECLS

void     sesame_signin_task_run_async (SesameStore          *store,
                                       const char           *login,
                                       const char           *passphrase,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean sesame_signin_task_finish    (SesameStore          *store,
                                       GAsyncResult         *result,
                                       gboolean             *offline,
                                       GError              **error);

G_END_DECLS
