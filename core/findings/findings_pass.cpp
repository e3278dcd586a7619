// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/findings/findings_pass.h"

#include "core/exhaustion/exhaustion_pass.h"
#include "core/findings/counter_findings.h"
#include "core/findings/exhaustion_verdicts.h"
#include "core/findings/sysctl_advice.h"
#include "core/findings/time_wait_agreement.h"

namespace twlens {

void computeFindings(Analysis& a) {
    addExhaustionVerdicts(a, a.findings);
    addExhaustionFixes(a, a.findings);
    addSysctlAdvice(a, a.findings);
    addCounterFindings(a, a.findings);
    addTimeWaitAgreement(a, a.findings);
}

void computeExhaustionAndFindings(Analysis& a) {
    computeExhaustion(a);
    computeFindings(a);
}

} // namespace twlens
