/* sesame.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Sésame core: everything the application and the command-line tool
 * may call. The core's *-private.h headers are for the core and its tests
 * alone, and say so with an error when included from elsewhere.
 */
#pragma once

/* The types and the error domain, then each layer from the store up
 * (README.md, Layout). Every public header is here. */
#include "sesame-types.h"
#include "sesame-error.h"
#include "sesame-document-language.h"

#include "sesame-store.h"
#include "sesame-store-language.h"
#include "sesame-store-operator.h"
#include "sesame-store-settings.h"

#include "sesame-establishments.h"
#include "sesame-person.h"
#include "sesame-persons.h"
#include "sesame-search.h"

#include "sesame-mail-message.h"
#include "sesame-secrets.h"
#include "sesame-smtp-client.h"
#include "sesame-smtp-settings.h"

#include "sesame-accounts.h"
#include "sesame-audit.h"
#include "sesame-credentials.h"
#include "sesame-login.h"
#include "sesame-notices.h"
#include "sesame-operators.h"
#include "sesame-passwords.h"
#include "sesame-roles.h"
#include "sesame-seal.h"

#include "sesame-csv.h"
#include "sesame-identifier-files.h"

#include "sesame-letters.h"

#include "sesame-aaf-reader.h"
#include "sesame-import.h"
#include "sesame-journal.h"

#include "sesame-activation-email.h"
#include "sesame-activation-tokens.h"
#include "sesame-campaign.h"
#include "sesame-campaign-message.h"
#include "sesame-campaign-recipient.h"
#include "sesame-campaign-report.h"
#include "sesame-campaign-sender.h"
#include "sesame-campaigns.h"

#include "sesame-activation-links.h"
#include "sesame-cas-response.h"
#include "sesame-cas-services.h"
#include "sesame-cas-tickets.h"
#include "sesame-cas.h"
#include "sesame-page-language.h"
#include "sesame-password-policy.h"
#include "sesame-reset-tokens.h"
#include "sesame-sign-in-throttle.h"
#include "sesame-web-sessions.h"

#include "sesame-sync.h"
#include "sesame-sync-desk.h"
#include "sesame-sync-server.h"
#include "sesame-sync-client.h"
#include "sesame-sync-desks.h"
#include "sesame-sync-jobs.h"
#include "sesame-sync-scheduler.h"
#include "sesame-sync-snapshot.h"
