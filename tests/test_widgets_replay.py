"""The replay widget without a browser: buttons, play, controls, and the session it records."""
from __future__ import annotations

import microfut_lib as mf


def test_buttons_and_controls_drive_the_session_and_the_actions_replay_it():
    ex = mf.replay_explorer()
    first_png = ex.image.value
    ex.sliders["qty"].value = 3
    ex.sliders["leverage"].value = 10
    ex.contract.value = "nano"
    ex.buttons["long"].click()
    for _ in range(5):
        ex.play.value += 1                        # the Play widget ticking in the browser
    ex.sliders["stop_pct"].value = 1.0            # moves the open position's stop
    ex.buttons["next"].click()
    ex.buttons["close"].click()
    ex.buttons["short"].click()
    ex.buttons["end"].click()
    assert ex.image.value != first_png and ex.error is None
    assert [t.qty for t in ex.session.trades] == [3.0, 3.0]
    assert ex.session.trades[0].qty * ex.session.contract.contract_size == 0.003
    assert "Report card" in ex.report.value and "2 trades" in ex.report.value
    again = mf.replay(ex.actions)
    assert [tuple(t) for t in again.journal.trades] == [tuple(t) for t in ex.session.trades]
    assert again.state.equity_usd == ex.session.equity


def test_a_refused_setting_is_explained_and_changes_nothing():
    ex = mf.replay_explorer()
    ex.buttons["long"].click()
    ex.sliders["leverage"].value = 20
    assert "close the open position" in ex.readout.value
    assert ex.session.position.leverage == 5 and ex.session.leverage == 5
    ex.buttons["close"].click()
    ex.buttons["next"].click()                    # flat again: the slider's 20x now applies
    assert ex.session.leverage == 20 and ("leverage", 20) in ex.actions
    ex.buttons["close"].click()
    assert ex.error == "there is no open position to close"


def test_liquidation_shows_in_the_log_and_the_report():
    ex = mf.replay_explorer()
    ex.sliders["leverage"].value = 50
    ex.sliders["stop_pct"].value = 0.0
    ex.buttons["long"].click()
    while ex.session.position is not None and ex.session.bars_left:
        ex.buttons["next"].click()
    assert ex.session.trades[-1].exit_reason == "liquidation"
    assert "liquidation" in ex.event_log.value and "liquidation 1" in ex.report.value


def test_the_documented_ranges_are_the_controls():
    for control in mf.ReplayPanel.controls:
        text = f"{control.low:g} to {control.high:g}"
        assert text in mf.replay_explorer.__doc__ and text in mf.plot_replay.__doc__
