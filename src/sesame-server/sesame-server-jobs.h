/* sesame-server-jobs.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-server-api.h"

G_BEGIN_DECLS

typedef struct _SesameServerJobs SesameServerJobs;

SesameServerJobs *sesame_server_jobs_new    (SesameStore       *store,
                                             GError           **error);
void              sesame_server_jobs_free   (SesameServerJobs  *jobs);
gboolean          sesame_server_jobs_handle (SesameServerJobs  *jobs,
                                             SesameServerCall  *call);

G_END_DECLS
