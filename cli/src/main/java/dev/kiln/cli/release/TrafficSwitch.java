package dev.kiln.cli.release;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Which color the ALB sends users to. Every forward action of the load balancer's listeners that
 * names both the blue and the green target group (default actions and path rules alike) carries a
 * weight per color; this class reads and rewrites those weights together. Actions that forward to
 * one color only (the {@code X-Kiln-Color} preview rules) are left alone. Thread-safe.
 */
public final class TrafficSwitch {

  private final ElasticLoadBalancingV2Client elb;
  private final Estate estate;
  private Map<Color, String> targetGroups;

  public TrafficSwitch(ElasticLoadBalancingV2Client elb, Estate estate) {
    this.elb = elb;
    this.estate = estate;
  }

  /** The ARN of a color's target group. */
  public synchronized String targetGroupArn(Color color) {
    if (targetGroups == null && !estate.targetGroupArns().isEmpty()) {
      targetGroups = new EnumMap<>(estate.targetGroupArns());
    }
    if (targetGroups == null) {
      Map<Color, String> arns = new EnumMap<>(Color.class);
      for (Color each : Color.values()) {
        arns.put(
            each,
            elb.describeTargetGroups(describe -> describe.names(estate.targetGroup(each)))
                .targetGroups()
                .get(0)
                .targetGroupArn());
      }
      targetGroups = arns;
    }
    return targetGroups.get(color);
  }

  /** The weights of the first forward action found (all are kept equal). */
  public Map<Color, Integer> weights() {
    for (Action action : forwardActions()) {
      Map<Color, Integer> weights = weightsOf(action);
      if (!weights.isEmpty()) {
        return weights;
      }
    }
    throw new IllegalStateException(
        "no listener of load balancer " + estate.loadBalancer() + " forwards to the web colors");
  }

  /** The color with the larger weight: the one users see. */
  public Color live() {
    Map<Color, Integer> weights = weights();
    return weights.getOrDefault(Color.GREEN, 0) > weights.getOrDefault(Color.BLUE, 0)
        ? Color.GREEN
        : Color.BLUE;
  }

  /** Sends {@code percent} of requests to {@code color} and the rest to the other one. */
  public void route(Color color, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("weight must be 0..100: " + percent);
    }
    Action forward =
        Action.builder()
            .type(ActionTypeEnum.FORWARD)
            .forwardConfig(
                ForwardActionConfig.builder()
                    .targetGroups(
                        TargetGroupTuple.builder()
                            .targetGroupArn(targetGroupArn(color))
                            .weight(percent)
                            .build(),
                        TargetGroupTuple.builder()
                            .targetGroupArn(targetGroupArn(color.other()))
                            .weight(100 - percent)
                            .build())
                    .build())
            .build();
    for (Listener listener : listeners()) {
      if (!weightsOf(listener.defaultActions()).isEmpty()) {
        elb.modifyListener(
            modify -> modify.listenerArn(listener.listenerArn()).defaultActions(forward));
      }
      for (Rule rule : rules(listener)) {
        if (!rule.isDefault() && !weightsOf(rule.actions()).isEmpty()) {
          elb.modifyRule(modify -> modify.ruleArn(rule.ruleArn()).actions(forward));
        }
      }
    }
  }

  /** The load balancer's ARN, from the estate or looked up by its name. */
  public String loadBalancerArn() {
    return estate
        .loadBalancerArn()
        .orElseGet(
            () ->
                elb.describeLoadBalancers(describe -> describe.names(estate.loadBalancer()))
                    .loadBalancers()
                    .get(0)
                    .loadBalancerArn());
  }

  private List<Listener> listeners() {
    String loadBalancerArn = loadBalancerArn();
    return elb.describeListeners(describe -> describe.loadBalancerArn(loadBalancerArn)).listeners();
  }

  private List<Rule> rules(Listener listener) {
    return elb.describeRules(describe -> describe.listenerArn(listener.listenerArn())).rules();
  }

  private List<Action> forwardActions() {
    List<Action> actions = new ArrayList<>();
    for (Listener listener : listeners()) {
      actions.addAll(listener.defaultActions());
      for (Rule rule : rules(listener)) {
        actions.addAll(rule.actions());
      }
    }
    return actions;
  }

  private Map<Color, Integer> weightsOf(List<Action> actions) {
    for (Action action : actions) {
      Map<Color, Integer> weights = weightsOf(action);
      if (!weights.isEmpty()) {
        return weights;
      }
    }
    return Map.of();
  }

  /** The weights of a forward action to both colors; empty for any other action. */
  private Map<Color, Integer> weightsOf(Action action) {
    Map<Color, Integer> weights = new EnumMap<>(Color.class);
    if (action.type() != ActionTypeEnum.FORWARD
        || action.forwardConfig() == null
        || !action.forwardConfig().hasTargetGroups()) {
      return weights;
    }
    for (TargetGroupTuple tuple : action.forwardConfig().targetGroups()) {
      for (Color color : Color.values()) {
        if (targetGroupArn(color).equals(tuple.targetGroupArn())) {
          weights.put(color, tuple.weight() == null ? 1 : tuple.weight());
        }
      }
    }
    return weights.size() == Color.values().length ? weights : Map.of();
  }
}
