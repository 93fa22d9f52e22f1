/// The one way time is written to a user: the trace's own index t, counted from 0 as in `h_t`, the trace
/// file and the lesson files, with the range it runs over ("t=1 of 0…2"). The header, the lesson status
/// line and `--step` all use it, so no screen counts from 1 while another counts from 0.
public func timeLabel(_ t: Int, stepCount: Int) -> String {
    stepCount > 1 ? "t=\(t) of 0…\(stepCount - 1)" : "t=\(t)"
}
