// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <cstddef>

#include "core/model/analysis.h"
#include "core/presentation/teaching_steps.h"

namespace twlens {

// The explanation of one topic (resources/teaching/<teachingTopicName>.html), with its RFC
// section or kernel rule. Every sentence follows the project's facts reference.
QString topicExplanationHtml(TeachingTopic topic);

// The explanation pane for one step: what was sent (frame, flags, relative seq/ack), each
// transition taken ("client: ESTABLISHED -> FIN-WAIT-1"), both ends' states, the hazards the
// analysis reported here, the settings that decide a RST in TIME-WAIT, then each topic's text.
QString stepExplanationHtml(const Analysis& a, std::uint32_t connection, const TeachingStep& step,
                            std::size_t index, std::size_t count);

} // namespace twlens
